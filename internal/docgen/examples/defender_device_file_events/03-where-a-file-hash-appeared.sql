-- title: Where a file hash appeared
-- purpose: Trace a known-bad file across all devices.
select
  timestamp,
  device_name,
  action_type,
  folder_path,
  initiating_process_account_name
from
  defender_device_file_events
where
  sha256 = 'b03bb58071c65502d19b7c7d4ee4611f1d53cf4edadbc5789cccb10cba14b50b'
  and timestamp > now() - interval '30 days';
