-- title: USB drives mounted
-- purpose: See which removable drives were attached, and where.
select
  timestamp,
  device_name,
  additional_fields ->> 'ProductName' as product,
  additional_fields ->> 'SerialNumber' as serial_number,
  additional_fields ->> 'DriveLetter' as drive_letter
from
  defender_device_events
where
  timestamp > now() - interval '30 days'
  and action_type = 'UsbDriveMounted';
