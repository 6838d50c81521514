-- title: Local administrator logons
-- purpose: List successful logons with local administrator rights.
select
  timestamp,
  device_name,
  account_domain,
  account_name,
  logon_type
from
  defender_device_logon_events
where
  timestamp > now() - interval '1 day'
  and is_local_admin = true
  and action_type = 'LogonSuccess'
order by
  timestamp desc
limit 100;
