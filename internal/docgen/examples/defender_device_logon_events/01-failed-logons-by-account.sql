-- title: Failed logons by account
-- purpose: Count failed logons per account and device over the last day.
select
  account_domain,
  account_name,
  device_name,
  count(*) as failures
from
  defender_device_logon_events
where
  timestamp > now() - interval '1 day'
  and action_type = 'LogonFailed'
group by
  account_domain,
  account_name,
  device_name
order by
  failures desc
limit 20;
