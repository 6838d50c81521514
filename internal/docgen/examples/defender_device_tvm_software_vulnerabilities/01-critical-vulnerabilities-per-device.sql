-- title: Critical vulnerabilities per device
-- purpose: Rank devices by the number of critical CVEs in their installed software.
select
  device_name,
  count(distinct cve_id) as critical_cves
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level = 'Critical'
group by
  device_name
order by
  critical_cves desc
limit 20;
