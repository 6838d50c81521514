select
  device_name,
  sensor_health_state,
  client_version,
  timestamp
from
  (
    select
      device_name,
      onboarding_status,
      sensor_health_state,
      client_version,
      max(timestamp) as timestamp
    from
      defender_device_info
    where
      timestamp > datetime('now', '-7 days')
    group by
      device_id
  ) as latest
where
  onboarding_status = 'Onboarded'
  and sensor_health_state <> 'Active';
