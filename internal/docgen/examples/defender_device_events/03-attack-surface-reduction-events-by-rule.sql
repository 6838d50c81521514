-- title: Attack surface reduction events by rule
-- purpose: Count ASR rule hits, audited or blocked, over the last week.
select
  action_type,
  count(*) as events,
  count(distinct device_id) as devices
from
  defender_device_events
where
  timestamp > now() - interval '7 days'
  and action_type like 'Asr%'
group by
  action_type
order by
  events desc;
