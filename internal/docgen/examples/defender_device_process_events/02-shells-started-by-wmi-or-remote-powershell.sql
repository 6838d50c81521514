-- title: Shells started by WMI or remote PowerShell
-- purpose: Command interpreters whose parent is the WMI or WinRM host often mean remote execution by an attacker moving laterally.
select
  timestamp,
  device_name,
  account_name,
  initiating_process_file_name,
  file_name,
  process_command_line
from
  defender_device_process_events
where
  timestamp > now() - interval '30 days'
  and initiating_process_file_name in ('WmiPrvSE.exe', 'wsmprovhost.exe')
  and file_name in ('cmd.exe', 'powershell.exe', 'pwsh.exe')
order by
  timestamp desc;
