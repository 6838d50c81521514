-- title: Count process creations per device
-- purpose: Summarise in Defender and return only the small result.
select
  data ->> 'DeviceName' as device_name,
  (data ->> 'Processes')::bigint as processes
from
  defender_hunting_query
where
  query = 'DeviceProcessEvents | where Timestamp > ago(1d) | summarize Processes = count() by DeviceName | top 10 by Processes';
