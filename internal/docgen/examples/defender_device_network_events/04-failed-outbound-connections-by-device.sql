-- title: Failed outbound connections by device
-- purpose: A burst of failed connections can point to scanning or a broken agent.
select
  device_name,
  count(*) as failures
from
  defender_device_network_events
where
  timestamp > now() - interval '1 day'
  and action_type = 'ConnectionFailed'
group by
  device_name
order by
  failures desc
limit 10;
