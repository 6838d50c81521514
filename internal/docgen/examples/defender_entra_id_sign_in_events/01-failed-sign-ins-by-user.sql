-- title: Failed sign-ins by user
-- purpose: A non-zero error code means the sign-in failed.
select
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
limit 20;
