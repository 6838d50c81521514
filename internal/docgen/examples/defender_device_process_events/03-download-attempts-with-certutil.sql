-- title: Download attempts with certutil
-- purpose: Spot certutil used to fetch files from the internet.
select
  timestamp,
  device_name,
  account_upn,
  process_command_line
from
  defender_device_process_events
where
  timestamp > now() - interval '7 days'
  and file_name = 'certutil.exe'
  and process_command_line ilike '%urlcache%';
