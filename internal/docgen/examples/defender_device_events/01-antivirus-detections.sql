-- title: Antivirus detections
-- purpose: List antivirus detections with the threat name read from the JSON column.
select
  timestamp,
  device_name,
  file_name,
  folder_path,
  additional_fields ->> 'ThreatName' as threat_name
from
  defender_device_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'AntivirusDetection'
order by
  timestamp desc;
