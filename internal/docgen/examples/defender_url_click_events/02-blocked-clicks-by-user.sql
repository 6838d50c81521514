-- title: Blocked clicks by user
-- purpose: Count clicks that Safe Links blocked, per user.
select
  account_upn,
  count(*) as blocked_clicks
from
  defender_url_click_events
where
  timestamp > now() - interval '30 days'
  and action_type = 'ClickBlocked'
group by
  account_upn
order by
  blocked_clicks desc;
