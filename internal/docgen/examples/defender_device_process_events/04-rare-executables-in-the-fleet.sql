-- title: Rare executables in the fleet
-- purpose: Count the devices that ran each file hash over the last day and keep the rarest ones.
select
  sha256,
  file_name,
  count(distinct device_id) as devices
from
  defender_device_process_events
where
  timestamp > now() - interval '1 day'
  and sha256 is not null
group by
  sha256,
  file_name
order by
  devices
limit 20;
