-- title: Devices affected by one CVE
-- purpose: List the devices and software versions exposed to a given vulnerability.
select
  device_name,
  software_vendor,
  software_name,
  software_version,
  recommended_security_update
from
  defender_device_tvm_software_vulnerabilities
where
  cve_id = 'CVE-2021-44228';
