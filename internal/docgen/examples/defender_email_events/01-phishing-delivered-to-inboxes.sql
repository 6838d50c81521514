-- title: Phishing delivered to inboxes
-- purpose: Find inbound messages flagged as phish that still reached a mailbox.
select
  timestamp,
  sender_from_address,
  recipient_email_address,
  subject,
  threat_types,
  latest_delivery_location
from
  defender_email_events
where
  timestamp > now() - interval '7 days'
  and email_direction = 'Inbound'
  and threat_types ilike '%phish%'
  and delivery_action = 'Delivered';
