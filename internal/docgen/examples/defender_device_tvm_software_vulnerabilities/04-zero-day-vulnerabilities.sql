-- title: Zero-day vulnerabilities
-- purpose: List devices exposed to vulnerabilities tagged as zero-days; the JSON test runs in Postgres.
select
  device_name,
  software_name,
  software_version,
  cve_id
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level in ('High', 'Critical')
  and cve_tags @> '["ZeroDay"]';
