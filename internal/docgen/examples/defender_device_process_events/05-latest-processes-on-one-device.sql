-- title: Latest processes on one device
-- purpose: The order and limit run in Defender, so this reads only 50 rows.
select
  timestamp,
  file_name,
  process_command_line,
  account_name,
  initiating_process_file_name
from
  defender_device_process_events
where
  device_name = 'ws-fin-022.corp.larkspur.example'
order by
  timestamp desc
limit 50;
