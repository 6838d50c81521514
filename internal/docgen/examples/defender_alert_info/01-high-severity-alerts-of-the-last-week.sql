-- title: High-severity alerts of the last week
-- purpose: List the most serious alerts, newest first.
select
  timestamp,
  alert_id,
  title,
  category,
  service_source
from
  defender_alert_info
where
  timestamp > now() - interval '7 days'
  and severity = 'High'
order by
  timestamp desc;
