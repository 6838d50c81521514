package docgen

// cloudExamples covers the email, alert, identity and cloud app tables.
var cloudExamples = map[string][]Example{
	"EmailEvents": {
		{
			Title:   "Phishing delivered to inboxes",
			Purpose: "Find inbound messages flagged as phish that still reached a mailbox.",
			SQL: `select
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
  and delivery_action = 'Delivered';`,
		},
		{
			Title:   "Top senders of malware",
			Purpose: "Count malware messages by sending domain over the last month.",
			SQL: `select
  sender_from_domain,
  count(*) as messages,
  count(distinct recipient_email_address) as recipients
from
  defender_email_events
where
  timestamp > now() - interval '30 days'
  and threat_types ilike '%malware%'
group by
  sender_from_domain
order by
  messages desc
limit 20;`,
		},
		{
			Title:   "Messages from one sender",
			Purpose: "Trace every message from a suspicious address and what happened to it.",
			SQL: `select
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
limit 100;`,
		},
		{
			Title:   "Inbound mail that fails DMARC",
			Purpose: "Senders whose domain fails DMARC are often spoofed or look-alike domains; the JSON test runs in Postgres.",
			SQL: `select
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
  timestamp desc;`,
		},
	},
	"EmailUrlInfo": {
		{
			Title:   "Messages that contained a domain",
			Purpose: "Find messages linking to a domain seen in an attack.",
			SQL: `select
  timestamp,
  network_message_id,
  url,
  url_location
from
  defender_email_url_info
where
  timestamp > now() - interval '30 days'
  and url_domain = 'login-larkspur-verify.example';`,
		},
		{
			Title:   "Most common URL domains",
			Purpose: "Count URL domains across mail from the last day.",
			SQL: `select
  url_domain,
  count(*) as urls
from
  defender_email_url_info
where
  timestamp > now() - interval '1 day'
group by
  url_domain
order by
  urls desc
limit 20;`,
		},
		{
			Title:   "URLs with the message they came in",
			Purpose: "Join with defender_email_events to see sender and subject next to each URL.",
			SQL: `select
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
  and u.url_domain = 'login-larkspur-verify.example';`,
		},
	},
	"UrlClickEvents": {
		{
			Title:   "Users who clicked through a warning",
			Purpose: "Safe Links showed a warning page and the user went on anyway.",
			SQL: `select
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
  timestamp desc;`,
		},
		{
			Title:   "Blocked clicks by user",
			Purpose: "Count clicks that Safe Links blocked, per user.",
			SQL: `select
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
  blocked_clicks desc;`,
		},
		{
			Title:   "Clicks on links from email",
			Purpose: "Join with defender_email_events to show the message each clicked link came from.",
			SQL: `select
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
  and c.workload = 'Email';`,
		},
	},
	"AlertInfo": {
		{
			Title:   "High-severity alerts of the last week",
			Purpose: "List the most serious alerts, newest first.",
			SQL: `select
  timestamp,
  alert_id,
  title,
  category,
  service_source
from
  defender_alert_info
where
  timestamp > now() - interval '7 days'
  and severity = 'High'
order by
  timestamp desc;`,
		},
		{
			Title:   "Alerts by product and severity",
			Purpose: "See which Defender products raise the most alerts.",
			SQL: `select
  service_source,
  severity,
  count(*) as alerts
from
  defender_alert_info
where
  timestamp > now() - interval '30 days'
group by
  service_source,
  severity
order by
  alerts desc;`,
		},
		{
			Title:   "Alerts mapped to an ATT&CK technique",
			Purpose: "Find alerts tagged with command and scripting interpreter (T1059).",
			SQL: `select
  timestamp,
  title,
  severity,
  attack_techniques
from
  defender_alert_info
where
  timestamp > now() - interval '30 days'
  and attack_techniques like '%T1059%';`,
		},
	},
	"AlertEvidence": {
		{
			Title:   "Devices in high-severity alerts",
			Purpose: "Join with defender_alert_info to list the devices behind serious alerts.",
			SQL: `select distinct
  e.device_name,
  i.title,
  i.timestamp
from
  defender_alert_evidence e
  join defender_alert_info i on i.alert_id = e.alert_id
where
  e.timestamp > now() - interval '7 days'
  and i.timestamp > now() - interval '7 days'
  and i.severity = 'High'
  and e.entity_type = 'Machine';`,
		},
		{
			Title:   "Files seen as alert evidence",
			Purpose: "List the files attached to alerts, with their hashes.",
			SQL: `select
  timestamp,
  alert_id,
  file_name,
  folder_path,
  sha256
from
  defender_alert_evidence
where
  timestamp > now() - interval '30 days'
  and entity_type = 'File'
order by
  timestamp desc;`,
		},
		{
			Title:   "Users with the most alerts",
			Purpose: "Count alerts per impacted user.",
			SQL: `select
  account_upn,
  count(distinct alert_id) as alerts
from
  defender_alert_evidence
where
  timestamp > now() - interval '30 days'
  and entity_type = 'User'
  and account_upn is not null
group by
  account_upn
order by
  alerts desc
limit 20;`,
		},
		{
			Title:   "Evidence of the latest alert",
			Purpose: "Show every entity attached to one alert; replace the subquery with an alert ID to look at another.",
			SQL: `select
  entity_type,
  evidence_role,
  device_name,
  account_upn,
  file_name,
  remote_ip
from
  defender_alert_evidence
where
  alert_id = (
    select
      alert_id
    from
      defender_alert_evidence
    where
      timestamp > now() - interval '7 days'
    order by
      timestamp desc
    limit 1
  );`,
		},
	},
	"IdentityLogonEvents": {
		{
			Title:   "Failed logons by account",
			Purpose: "Count failed logons per account; many failures on a few accounts can be password spraying.",
			SQL: `select
  account_upn,
  count(*) as failures,
  count(distinct device_name) as devices
from
  defender_identity_logon_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'LogonFailed'
group by
  account_upn
order by
  failures desc
limit 20;`,
		},
		{
			Title:   "NTLM logons",
			Purpose: "Find where NTLM is still used, to plan its retirement.",
			SQL: `select
  device_name,
  destination_device_name,
  count(*) as logons
from
  defender_identity_logon_events
where
  timestamp > now() - interval '7 days'
  and protocol = 'Ntlm'
group by
  device_name,
  destination_device_name
order by
  logons desc;`,
		},
		{
			Title:   "Where one user signs in from",
			Purpose: "Count a user's successful logons by location and internet provider to spot unusual ones.",
			SQL: `select
  location,
  isp,
  count(*) as logons
from
  defender_identity_logon_events
where
  timestamp > now() - interval '30 days'
  and account_upn = 'priya.raman@larkspur.example'
  and action_type = 'LogonSuccess'
group by
  location,
  isp
order by
  logons desc;`,
		},
	},
	"EntraIdSignInEvents": {
		{
			Title:   "Failed sign-ins by user",
			Purpose: "A non-zero error code means the sign-in failed.",
			SQL: `select
  account_upn,
  error_code,
  count(*) as failures
from
  defender_entra_id_sign_in_events
where
  timestamp > now() - interval '1 day'
  and error_code <> 0
group by
  account_upn,
  error_code
order by
  failures desc
limit 20;`,
		},
		{
			Title:   "Risky sign-ins",
			Purpose: "List sign-ins that Entra ID rated medium or high risk.",
			SQL: `select
  timestamp,
  account_upn,
  application,
  ip_address,
  country,
  risk_level_aggregated
from
  defender_entra_id_sign_in_events
where
  timestamp > now() - interval '7 days'
  and risk_level_aggregated >= 50
order by
  timestamp desc;`,
		},
		{
			Title:   "Single-factor sign-ins from unmanaged devices",
			Purpose: "Successful sign-ins without MFA from devices the organization does not manage.",
			SQL: `select
  timestamp,
  account_upn,
  application,
  client_app_used,
  ip_address
from
  defender_entra_id_sign_in_events
where
  timestamp > now() - interval '7 days'
  and error_code = 0
  and authentication_requirement = 'singleFactorAuthentication'
  and is_managed = 0;`,
		},
		{
			Title:   "Guest sign-ins per application",
			Purpose: "See which applications guests use.",
			SQL: `select
  application,
  count(distinct account_object_id) as guests
from
  defender_entra_id_sign_in_events
where
  timestamp > now() - interval '30 days'
  and is_guest_user = true
group by
  application
order by
  guests desc;`,
		},
	},
	"CloudAppEvents": {
		{
			Title:   "New inbox rules",
			Purpose: "Inbox rules that forward or delete mail are a favorite of attackers after a takeover.",
			SQL: `select
  timestamp,
  account_display_name,
  ip_address,
  country_code,
  raw_event_data -> 'Parameters' as parameters
from
  defender_cloud_app_events
where
  timestamp > now() - interval '7 days'
  and action_type in ('New-InboxRule', 'Set-InboxRule');`,
		},
		{
			Title:   "Activity from anonymous proxies",
			Purpose: "List cloud app activity from known anonymizing proxies.",
			SQL: `select
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
  timestamp desc;`,
		},
		{
			Title:   "Administrative operations per app",
			Purpose: "Count admin operations by application and action.",
			SQL: `select
  application,
  action_type,
  count(*) as operations
from
  defender_cloud_app_events
where
  timestamp > now() - interval '7 days'
  and is_admin_operation = true
group by
  application,
  action_type
order by
  operations desc
limit 25;`,
		},
		{
			Title:      "Heavy file downloaders",
			Purpose:    "Find accounts that downloaded many files from SharePoint or OneDrive in a day; usually there are none.",
			ExpectNone: true,
			SQL: `select
  account_display_name,
  count(*) as downloads
from
  defender_cloud_app_events
where
  timestamp > now() - interval '1 day'
  and action_type = 'FileDownloaded'
group by
  account_display_name
having
  count(*) > 500
order by
  downloads desc;`,
		},
	},
}
