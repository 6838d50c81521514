-- title: Users who clicked through a warning
-- purpose: Safe Links showed a warning page and the user went on anyway.
select
  timestamp,
  account_upn,
  url,
  workload,
  threat_types
from
  defender_url_click_events
where
  timestamp > now() - interval '7 days'
  and is_clicked_through = true
order by
  timestamp desc;
