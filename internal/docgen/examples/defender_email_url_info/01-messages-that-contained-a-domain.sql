-- title: Messages that contained a domain
-- purpose: Find messages linking to a domain seen in an attack.
select
  timestamp,
  network_message_id,
  url,
  url_location
from
  defender_email_url_info
where
  timestamp > now() - interval '30 days'
  and url_domain = 'login-larkspur-verify.example';
