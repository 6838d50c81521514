select
  device_name,
  public_ip,
  os_platform,
  exposure_level,
  max(timestamp) as timestamp
from
  defender_device_info
where
  timestamp > datetime('now', '-7 days')
  and is_internet_facing = true
group by
  device_id;
