benchmark "vulnerabilities" {
  title       = "Vulnerabilities"
  description = "Devices have no exploitable critical CVE, no old unpatched CVE and no CVE above the CVSS threshold, as vulnerability management reports them."
  children = [
    control.vulnerability_critical_with_exploit,
    control.vulnerability_open_too_long,
    control.vulnerability_cvss_above_threshold,
  ]
}

control "vulnerability_critical_with_exploit" {
  title       = "Devices have no critical CVE with a public exploit"
  description = "No device has a Critical vulnerability for which the knowledge base lists an available exploit."
  sql         = <<-EOQ
    with found as (
      select
        v.device_id,
        string_agg(distinct v.cve_id, ', ') as cves
      from
        defender_device_tvm_software_vulnerabilities as v
        join defender_device_tvm_software_vulnerabilities_kb as k on k.cve_id = v.cve_id
      where
        v.vulnerability_severity_level = 'Critical'
        and k.is_exploit_available
      group by
        v.device_id
    )
    select
      d.device_id as resource,
      case when f.cves is null then 'ok' else 'alarm' end as status,
      coalesce(d.device_name, d.device_id) || case when f.cves is null then ' has no critical CVE with an exploit.' else ' has critical CVEs with exploits: ' || f.cves || '.' end as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d
      left join found as f on f.device_id = d.device_id;
  EOQ
}

control "vulnerability_open_too_long" {
  title       = "Devices have no Critical or High CVE published more than var.cve_max_open_days days ago"
  description = "Vulnerability management does not date a CVE's discovery on a device, so the CVE's publication date stands for how long a fix has been available."
  sql         = <<-EOQ
    with found as (
      select
        v.device_id,
        count(distinct v.cve_id) as n,
        min(k.published_date) as oldest
      from
        defender_device_tvm_software_vulnerabilities as v
        join defender_device_tvm_software_vulnerabilities_kb as k on k.cve_id = v.cve_id
      where
        v.vulnerability_severity_level in ('Critical', 'High')
        and k.published_date < now() - make_interval(days => $1::int)
      group by
        v.device_id
    )
    select
      d.device_id as resource,
      case when f.n is null then 'ok' else 'alarm' end as status,
      coalesce(d.device_name, d.device_id) || case when f.n is null then ' has no old Critical or High CVE.' else ' has ' || f.n || ' Critical or High CVEs published since ' || to_char(f.oldest, 'YYYY-MM-DD') || '.' end as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d
      left join found as f on f.device_id = d.device_id;
  EOQ
  param "max_open_days" {
    default = var.cve_max_open_days
  }
}

control "vulnerability_cvss_above_threshold" {
  title       = "Devices have no CVE scored at or above var.cvss_alarm_score"
  description = "No device has a vulnerability whose CVSS score reaches the threshold."
  sql         = <<-EOQ
    with found as (
      select
        v.device_id,
        max(nullif(k.cvss_score, '')::numeric) as top
      from
        defender_device_tvm_software_vulnerabilities as v
        join defender_device_tvm_software_vulnerabilities_kb as k on k.cve_id = v.cve_id
      where
        nullif(k.cvss_score, '')::numeric >= $1::numeric
      group by
        v.device_id
    )
    select
      d.device_id as resource,
      case when f.top is null then 'ok' else 'alarm' end as status,
      coalesce(d.device_name, d.device_id) || case when f.top is null then ' has no CVE at or above the threshold.' else ' has a CVE scored ' || f.top || '.' end as reason,
      d.tenant_id,
      d.sp_connection_name
    from
      defender_device as d
      left join found as f on f.device_id = d.device_id;
  EOQ
  param "score" {
    default = var.cvss_alarm_score
  }
}
