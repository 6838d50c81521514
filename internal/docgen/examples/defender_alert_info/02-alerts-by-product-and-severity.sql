-- title: Alerts by product and severity
-- purpose: See which Defender products raise the most alerts.
select
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
  alerts desc;
