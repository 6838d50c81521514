benchmark "configuration" {
  title       = "Configuration"
  description = "Secure configuration assessments, CIS and STIG baselines, and antivirus mode and signatures."
  children = [
    control.secure_config_critical_passing,
    control.baseline_cis_passing,
    control.baseline_stig_passing,
    control.antivirus_active_mode,
    control.antivirus_signatures_current,
  ]
}

control "secure_config_critical_passing" {
  title       = "Devices pass their high-impact secure configuration assessments"
  description = "No device fails an applicable secure configuration assessment whose impact is at least var.secure_config_min_impact."
  sql         = <<-EOQ
    select
      a.device_id as resource,
      case when count(*) filter (where a.is_applicable and not a.is_compliant and a.configuration_impact >= $1::numeric) > 0 then 'alarm' else 'ok' end as status,
      max(a.device_name) || ' fails ' || count(*) filter (where a.is_applicable and not a.is_compliant and a.configuration_impact >= $1::numeric)
        || ' of ' || count(*) filter (where a.configuration_impact >= $1::numeric) || ' high-impact assessments.' as reason,
      a.tenant_id,
      a.sp_connection_name
    from
      defender_device_tvm_secure_configuration_assessment as a
    group by
      a.device_id, a.tenant_id, a.sp_connection_name;
  EOQ
  param "min_impact" {
    default = var.secure_config_min_impact
  }
}

control "baseline_cis_passing" {
  title       = "Devices pass their CIS baseline checks"
  description = "No device fails an applicable, non-exempt check of a CIS baseline profile (DeviceBaselineComplianceAssessment)."
  sql         = <<-EOQ
    select
      a.device_id as resource,
      case when count(*) filter (where a.is_applicable and not a.is_compliant and not coalesce(a.is_exempt, false)) > 0 then 'alarm' else 'ok' end as status,
      max(a.device_name) || ' fails ' || count(*) filter (where a.is_applicable and not a.is_compliant and not coalesce(a.is_exempt, false))
        || ' of ' || count(*) || ' ' || $1 || ' checks.' as reason,
      a.tenant_id,
      a.sp_connection_name
    from
      defender_device_baseline_compliance_assessment as a
      join defender_device_baseline_compliance_profiles as p on p.profile_id = a.profile_id
    where
      p.base_benchmark = $1
    group by
      a.device_id, a.tenant_id, a.sp_connection_name;
  EOQ
  param "benchmark" {
    default = "CIS"
  }
}

control "baseline_stig_passing" {
  title       = "Devices pass their STIG baseline checks"
  description = "No device fails an applicable, non-exempt check of a STIG baseline profile (DeviceBaselineComplianceAssessment)."
  sql         = <<-EOQ
    select
      a.device_id as resource,
      case when count(*) filter (where a.is_applicable and not a.is_compliant and not coalesce(a.is_exempt, false)) > 0 then 'alarm' else 'ok' end as status,
      max(a.device_name) || ' fails ' || count(*) filter (where a.is_applicable and not a.is_compliant and not coalesce(a.is_exempt, false))
        || ' of ' || count(*) || ' ' || $1 || ' checks.' as reason,
      a.tenant_id,
      a.sp_connection_name
    from
      defender_device_baseline_compliance_assessment as a
      join defender_device_baseline_compliance_profiles as p on p.profile_id = a.profile_id
    where
      p.base_benchmark = $1
    group by
      a.device_id, a.tenant_id, a.sp_connection_name;
  EOQ
  param "benchmark" {
    default = "STIG"
  }
}

control "antivirus_active_mode" {
  title       = "Microsoft Defender Antivirus runs in active mode"
  description = "The latest vulnerability management report of each device shows AvMode 0 (active); 1 is passive and 4 EDR in block mode."
  sql         = <<-EOQ
    select
      i.device_id as resource,
      case
        when i.additional_fields ->> 'AvMode' is null then 'info'
        when i.additional_fields ->> 'AvMode' = '0' then 'ok'
        else 'alarm'
      end as status,
      coalesce(i.device_name, i.device_id) || ' antivirus mode is ' || coalesce(i.additional_fields ->> 'AvMode', 'not reported') || '.' as reason,
      i.tenant_id,
      i.sp_connection_name
    from
      defender_device_tvm_info as i;
  EOQ
}

control "antivirus_signatures_current" {
  title       = "Antivirus signatures are current"
  description = "The antivirus signatures of each device were updated less than var.av_signature_max_age_days days before its latest report."
  sql         = <<-EOQ
    select
      i.device_id as resource,
      case
        when i.additional_fields ->> 'AvSignatureUpdateTime' is null then 'info'
        when (i.additional_fields ->> 'AvSignatureUpdateTime')::timestamptz > i.timestamp - make_interval(days => $1::int) then 'ok'
        else 'alarm'
      end as status,
      coalesce(i.device_name, i.device_id) || ' antivirus signatures were updated ' || coalesce(i.additional_fields ->> 'AvSignatureUpdateTime', 'never') || '.' as reason,
      i.tenant_id,
      i.sp_connection_name
    from
      defender_device_tvm_info as i;
  EOQ
  param "max_age_days" {
    default = var.av_signature_max_age_days
  }
}
