-- title: Inbound mail that fails DMARC
-- purpose: Senders whose domain fails DMARC are often spoofed or look-alike domains; the JSON test runs in Postgres.
select
  timestamp,
  sender_from_address,
  sender_mail_from_address,
  sender_ipv4,
  subject,
  authentication_details
from
  defender_email_events
where
  timestamp > now() - interval '30 days'
  and email_direction = 'Inbound'
  and authentication_details ->> 'DMARC' = 'fail'
order by
  timestamp desc;
