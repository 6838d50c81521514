-- title: Where one user signs in from
-- purpose: Count a user's successful logons by location and internet provider to spot unusual ones.
select
  location,
  isp,
  count(*) as logons
from
  defender_identity_logon_events
where
  timestamp > now() - interval '30 days'
  and account_upn = 'priya.raman@larkspur.example'
  and action_type = 'LogonSuccess'
group by
  location,
  isp
order by
  logons desc;
