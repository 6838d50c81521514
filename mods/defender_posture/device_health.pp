benchmark "device_health" {
  title       = "Device health"
  description = "Every device is onboarded, reports through a healthy sensor, was seen recently, runs a supported OS and is not highly exposed."
  children = [
    control.device_onboarded,
    control.device_sensor_active,
    control.device_seen_recently,
    control.device_os_supported,
    control.device_exposure_not_high,
    control.device_network_no_teredo,
  ]
}

control "device_onboarded" {
  title       = "Devices are onboarded to Defender for Endpoint"
  description = "The latest report of each device has onboarding status Onboarded."
  sql         = <<-EOQ
    select
      d.device_id as resource,
      case when d.onboarding_status = 'Onboarded' then 'ok' else 'alarm' end as status,
      coalesce(d.device_name, d.device_id) || ' onboarding status is ' || coalesce(d.onboarding_status, 'unknown') || '.' as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d;
  EOQ
}

control "device_sensor_active" {
  title       = "Onboarded devices have an active sensor"
  description = "The sensor of each onboarded device is Active, not Inactive or with impaired communication."
  sql         = <<-EOQ
    select
      d.device_id as resource,
      case
        when d.onboarding_status is distinct from 'Onboarded' then 'skip'
        when d.sensor_health_state = 'Active' then 'ok'
        when d.sensor_health_state is null then 'info'
        else 'alarm'
      end as status,
      coalesce(d.device_name, d.device_id) || ' sensor is ' || coalesce(d.sensor_health_state, 'not reported') || '.' as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d;
  EOQ
}

control "device_seen_recently" {
  title       = "Devices reported recently"
  description = "The latest report of each device is newer than var.device_inactive_days days. Devices silent for more than 30 days are outside Defender's window and do not appear."
  sql         = <<-EOQ
    select
      d.device_id as resource,
      case when d.timestamp > now() - make_interval(days => $1::int) then 'ok' else 'alarm' end as status,
      coalesce(d.device_name, d.device_id) || ' last reported ' || to_char(d.timestamp, 'YYYY-MM-DD HH24:MI') || ' UTC.' as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d;
  EOQ
  param "inactive_days" {
    default = var.device_inactive_days
  }
}

control "device_os_supported" {
  title       = "Devices run a supported OS"
  description = "No device's latest report shows an OS platform listed in var.unsupported_os_platforms."
  sql         = <<-EOQ
    select
      d.device_id as resource,
      case when d.os_platform = any($1::text[]) then 'alarm' else 'ok' end as status,
      coalesce(d.device_name, d.device_id) || ' runs ' || coalesce(d.os_platform, 'an unknown OS') || '.' as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d;
  EOQ
  param "unsupported_platforms" {
    default = var.unsupported_os_platforms
  }
}

control "device_exposure_not_high" {
  title       = "Devices are not highly exposed"
  description = "Defender's exposure level of each device is Low or Medium, not High."
  sql         = <<-EOQ
    select
      d.device_id as resource,
      case
        when d.exposure_level = 'High' then 'alarm'
        when d.exposure_level in ('Low', 'Medium') then 'ok'
        else 'info'
      end as status,
      coalesce(d.device_name, d.device_id) || ' exposure level is ' || coalesce(d.exposure_level, 'not assessed') || '.' as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d;
  EOQ
}

control "device_network_no_teredo" {
  title       = "Network adapters do not use Teredo tunnelling"
  description = "No adapter's latest report shows a Teredo tunnel, which carries IPv6 past perimeter filtering (CIS recommends disabling it)."
  sql         = <<-EOQ
    select
      n.device_id || '/' || coalesce(n.network_adapter_name, '') as resource,
      case when n.tunnel_type = 'Teredo' then 'alarm' else 'ok' end as status,
      coalesce(n.device_name, n.device_id) || ' adapter ' || coalesce(n.network_adapter_name, '(unnamed)') || ' tunnel type is ' || coalesce(n.tunnel_type, 'none') || '.' as reason,
      n.tenant_id,
      n.sp_connection_name
    from
      defender_device_network as n;
  EOQ
}
