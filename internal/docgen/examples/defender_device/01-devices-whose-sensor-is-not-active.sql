-- title: Devices whose sensor is not active
-- purpose: The latest sensor health of each onboarded device, for those not reporting as Active.
select
  device_name,
  os_platform,
  sensor_health_state,
  timestamp as last_report
from
  defender_device
where
  onboarding_status = 'Onboarded'
  and sensor_health_state <> 'Active'
order by
  device_name;
