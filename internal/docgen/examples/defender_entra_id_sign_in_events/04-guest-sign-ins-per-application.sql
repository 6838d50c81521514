-- title: Guest sign-ins per application
-- purpose: See which applications guests use.
select
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
  guests desc;
