-- title: Risky sign-ins
-- purpose: List sign-ins that Entra ID rated medium or high risk.
select
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
  timestamp desc;
