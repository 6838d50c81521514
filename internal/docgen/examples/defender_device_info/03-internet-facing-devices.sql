-- title: Internet-facing devices
-- purpose: List devices reported as reachable from the internet at least once in the last week.
select distinct on (device_id)
  device_name,
  public_ip,
  os_platform,
  exposure_level
from
  defender_device_info
where
  timestamp > now() - interval '7 days'
  and is_internet_facing = true
order by
  device_id,
  timestamp desc;
