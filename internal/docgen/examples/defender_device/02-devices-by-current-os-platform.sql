-- title: Devices by current OS platform
-- purpose: How many devices run each OS now, counting each device once.
select
  os_platform,
  count(*) as devices
from
  defender_device
group by
  os_platform
order by
  devices desc;
