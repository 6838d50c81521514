-- title: Failed logons by account
-- purpose: Count failed logons per account; many failures on a few accounts can be password spraying.
select
  account_upn,
  count(*) as failures,
  count(distinct device_name) as devices
from
  defender_identity_logon_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'LogonFailed'
group by
  account_upn
order by
  failures desc
limit 20;
