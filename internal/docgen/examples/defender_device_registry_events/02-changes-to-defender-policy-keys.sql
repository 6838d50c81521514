-- title: Changes to Defender policy keys
-- purpose: Find registry writes under the Windows Defender policy key, a sign of tampering.
select
  timestamp,
  device_name,
  registry_key,
  registry_value_name,
  registry_value_data,
  initiating_process_account_name
from
  defender_device_registry_events
where
  timestamp > now() - interval '30 days'
  and registry_key ilike '%Policies%Microsoft%Windows Defender%';
