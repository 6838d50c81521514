-- title: Devices per operating system
-- purpose: Count distinct devices by platform over the last week.
select
  os_platform,
  count(distinct device_id) as devices
from
  defender_device_info
where
  timestamp > now() - interval '7 days'
group by
  os_platform
order by
  devices desc;
