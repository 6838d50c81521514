-- title: Users with the most alerts
-- purpose: Count alerts per impacted user.
select
  account_upn,
  count(distinct alert_id) as alerts
from
  defender_alert_evidence
where
  timestamp > now() - interval '30 days'
  and entity_type = 'User'
  and account_upn is not null
group by
  account_upn
order by
  alerts desc
limit 20;
