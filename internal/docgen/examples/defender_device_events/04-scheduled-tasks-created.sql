-- title: Scheduled tasks created
-- purpose: New scheduled tasks are a common way to persist; check the process that created each one.
select
  timestamp,
  device_name,
  initiating_process_account_name,
  initiating_process_file_name,
  initiating_process_command_line,
  additional_fields ->> 'TaskName' as task_name
from
  defender_device_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'ScheduledTaskCreated'
order by
  timestamp desc;
