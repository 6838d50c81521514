select
  device_id,
  device_name,
  os_platform,
  os_version,
  sensor_health_state,
  exposure_level,
  max(timestamp) as timestamp
from
  defender_device_info
where
  timestamp > datetime('now', '-1 day')
group by
  device_id;
