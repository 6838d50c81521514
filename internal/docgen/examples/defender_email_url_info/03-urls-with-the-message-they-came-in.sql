-- title: URLs with the message they came in
-- purpose: Join with defender_email_events to see sender and subject next to each URL.
select
  u.url,
  e.sender_from_address,
  e.recipient_email_address,
  e.subject
from
  defender_email_url_info u
  join defender_email_events e on e.network_message_id = u.network_message_id
where
  u.timestamp > now() - interval '7 days'
  and e.timestamp > now() - interval '7 days'
  and u.url_domain = 'login-larkspur-verify.example';
