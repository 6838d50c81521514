-- title: Devices not seen for a week
-- purpose: Devices whose latest report is more than 7 days old.
select
  device_name,
  timestamp as last_report
from
  defender_device
where
  timestamp < now() - interval '7 days';
