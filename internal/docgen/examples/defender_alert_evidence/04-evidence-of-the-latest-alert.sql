-- title: Evidence of the latest alert
-- purpose: Show every entity attached to one alert; replace the subquery with an alert ID to look at another.
select
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
  );
