-- title: Most vulnerable software
-- purpose: Count high and critical CVEs per software product.
select
  software_vendor,
  software_name,
  count(distinct cve_id) as cves,
  count(distinct device_id) as devices
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level in ('High', 'Critical')
group by
  software_vendor,
  software_name
order by
  cves desc
limit 20;
