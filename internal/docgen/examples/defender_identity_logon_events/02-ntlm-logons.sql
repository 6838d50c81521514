-- title: NTLM logons
-- purpose: Find where NTLM is still used, to plan its retirement.
select
  device_name,
  destination_device_name,
  count(*) as logons
from
  defender_identity_logon_events
where
  timestamp > now() - interval '7 days'
  and protocol = 'Ntlm'
group by
  device_name,
  destination_device_name
order by
  logons desc;
