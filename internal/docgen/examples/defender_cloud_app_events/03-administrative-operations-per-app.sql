-- title: Administrative operations per app
-- purpose: Count admin operations by application and action.
select
  application,
  action_type,
  count(*) as operations
from
  defender_cloud_app_events
where
  timestamp > now() - interval '7 days'
  and is_admin_operation = true
group by
  application,
  action_type
order by
  operations desc
limit 25;
