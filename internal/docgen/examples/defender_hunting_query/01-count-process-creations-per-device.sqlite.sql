select
  data ->> 'DeviceName' as device_name,
  cast(data ->> 'Processes' as integer) as processes
from
  defender_hunting_query
where
  query = 'DeviceProcessEvents | where Timestamp > ago(1d) | summarize Processes = count() by DeviceName | top 10 by Processes';
