-- title: Accounts at high risk
-- purpose: Accounts whose latest IdentityInfo report has risk level High.
select
  account_upn,
  risk_level,
  risk_status
from
  defender_identity
where
  risk_level = 'High';
