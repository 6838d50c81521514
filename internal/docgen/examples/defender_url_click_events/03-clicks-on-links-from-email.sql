-- title: Clicks on links from email
-- purpose: Join with defender_email_events to show the message each clicked link came from.
select
  c.timestamp,
  c.account_upn,
  c.url,
  e.sender_from_address,
  e.subject
from
  defender_url_click_events c
  join defender_email_events e on e.network_message_id = c.network_message_id
where
  c.timestamp > now() - interval '1 day'
  and e.timestamp > now() - interval '2 days'
  and c.workload = 'Email';
