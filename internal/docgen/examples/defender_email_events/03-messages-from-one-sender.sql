-- title: Messages from one sender
-- purpose: Trace every message from a suspicious address and what happened to it.
select
  timestamp,
  recipient_email_address,
  subject,
  delivery_action,
  latest_delivery_action,
  authentication_details
from
  defender_email_events
where
  sender_from_address = 'security@m365-account-verify.example'
order by
  timestamp desc
limit 100;
