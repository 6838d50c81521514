-- title: Macro-enabled Office documents written to disk
-- purpose: Documents with macros (.docm, .xlsm) are a common way in for malware.
select
  timestamp,
  device_name,
  folder_path,
  file_name,
  initiating_process_file_name
from
  defender_device_file_events
where
  timestamp > now() - interval '30 days'
  and action_type = 'FileCreated'
  and (file_name ilike '%.docm' or file_name ilike '%.xlsm');
