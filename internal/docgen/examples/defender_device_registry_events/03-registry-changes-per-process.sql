-- title: Registry changes per process
-- purpose: Count registry changes by the process that made them on one device.
select
  initiating_process_file_name,
  action_type,
  count(*) as changes
from
  defender_device_registry_events
where
  timestamp > now() - interval '7 days'
  and device_name = 'sql-01.corp.larkspur.example'
group by
  initiating_process_file_name,
  action_type
order by
  changes desc;
