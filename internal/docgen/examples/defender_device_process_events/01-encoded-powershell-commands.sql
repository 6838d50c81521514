-- title: Encoded PowerShell commands
-- purpose: Find PowerShell started with an encoded command in the last day, a common way to hide a script.
select
  timestamp,
  device_name,
  account_name,
  process_command_line,
  initiating_process_file_name
from
  defender_device_process_events
where
  timestamp > now() - interval '1 day'
  and file_name in ('powershell.exe', 'pwsh.exe')
  and process_command_line ilike '%-enc%'
order by
  timestamp desc;
