-- title: Devices in high-severity alerts
-- purpose: Join with defender_alert_info to list the devices behind serious alerts.
select distinct
  e.device_name,
  i.title,
  i.timestamp
from
  defender_alert_evidence e
  join defender_alert_info i on i.alert_id = e.alert_id
where
  e.timestamp > now() - interval '7 days'
  and i.timestamp > now() - interval '7 days'
  and i.severity = 'High'
  and e.entity_type = 'Machine';
