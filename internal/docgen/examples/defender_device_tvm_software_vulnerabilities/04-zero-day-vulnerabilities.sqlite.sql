select
  device_name,
  software_name,
  software_version,
  cve_id
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level in ('High', 'Critical')
  and exists (
    select
      1
    from
      json_each(cve_tags)
    where
      value = 'ZeroDay'
  );
