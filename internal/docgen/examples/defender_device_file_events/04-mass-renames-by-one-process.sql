-- title: Mass renames by one process
-- purpose: Many renames in a short time by one process can be ransomware encrypting files; a healthy tenant returns nothing.
-- expect: none
select
  device_name,
  initiating_process_file_name,
  count(*) as renames
from
  defender_device_file_events
where
  timestamp > now() - interval '1 hour'
  and action_type = 'FileRenamed'
group by
  device_name,
  initiating_process_file_name
having
  count(*) > 100
order by
  renames desc;
