-- title: Activity from anonymous proxies
-- purpose: List cloud app activity from known anonymizing proxies.
select
  timestamp,
  account_display_name,
  application,
  action_type,
  ip_address,
  isp
from
  defender_cloud_app_events
where
  timestamp > now() - interval '7 days'
  and is_anonymous_proxy = true
order by
  timestamp desc;
