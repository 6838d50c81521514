-- title: Onboarded devices with an unhealthy sensor
-- purpose: Take each device's latest report, then keep those whose Defender sensor is not active.
select
  device_name,
  sensor_health_state,
  client_version,
  timestamp
from
  (
    select distinct on (device_id)
      device_id,
      device_name,
      onboarding_status,
      sensor_health_state,
      client_version,
      timestamp
    from
      defender_device_info
    where
      timestamp > now() - interval '7 days'
    order by
      device_id,
      timestamp desc
  ) as latest
where
  onboarding_status = 'Onboarded'
  and sensor_health_state <> 'Active';
