-- title: Antivirus mode and signature age
-- purpose: Each device's antivirus mode and signature update time from its latest report.
select
  device_name,
  additional_fields ->> 'AvMode' as av_mode,
  additional_fields ->> 'AvSignatureUpdateTime' as signatures_updated
from
  defender_device_tvm_info
order by
  device_name;
