-- title: Executables downloaded from the internet
-- purpose: List executables that carry a download origin URL.
select
  timestamp,
  device_name,
  file_name,
  file_origin_url,
  sha256
from
  defender_device_file_events
where
  timestamp > now() - interval '1 day'
  and file_origin_url is not null
  and file_name ilike '%.exe'
order by
  timestamp desc;
