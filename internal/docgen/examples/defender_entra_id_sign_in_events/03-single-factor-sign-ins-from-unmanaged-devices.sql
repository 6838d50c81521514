-- title: Single-factor sign-ins from unmanaged devices
-- purpose: Successful sign-ins without MFA from devices the organization does not manage.
select
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
  and is_managed = 0;
