-- title: New Run key entries
-- purpose: Values added under Run keys start a program at every logon.
select
  timestamp,
  device_name,
  registry_key,
  registry_value_name,
  registry_value_data,
  initiating_process_file_name
from
  defender_device_registry_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'RegistryValueSet'
  and registry_key ilike '%CurrentVersion%Run%';
