-- title: Latest state of each device
-- purpose: DeviceInfo holds periodic reports, so keep the newest one per device.
select distinct on (device_id)
  device_id,
  device_name,
  os_platform,
  os_version,
  sensor_health_state,
  exposure_level,
  timestamp
from
  defender_device_info
where
  timestamp > now() - interval '1 day'
order by
  device_id,
  timestamp desc;
