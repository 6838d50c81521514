-- title: New inbox rules
-- purpose: Inbox rules that forward or delete mail are a favorite of attackers after a takeover.
select
  timestamp,
  account_display_name,
  ip_address,
  country_code,
  raw_event_data -> 'Parameters' as parameters
from
  defender_cloud_app_events
where
  timestamp > now() - interval '7 days'
  and action_type in ('New-InboxRule', 'Set-InboxRule');
