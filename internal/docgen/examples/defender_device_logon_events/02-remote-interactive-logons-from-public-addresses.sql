-- title: Remote interactive logons from public addresses
-- purpose: RDP logons straight from the internet deserve a look.
select
  timestamp,
  device_name,
  account_name,
  remote_ip
from
  defender_device_logon_events
where
  timestamp > now() - interval '7 days'
  and logon_type = 'RemoteInteractive'
  and remote_ip_type = 'Public'
  and action_type = 'LogonSuccess';
