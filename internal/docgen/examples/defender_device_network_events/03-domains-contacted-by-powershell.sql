-- title: Domains contacted by PowerShell
-- purpose: Count the remote URLs that PowerShell connected to over the last day.
select
  remote_url,
  count(*) as connections,
  count(distinct device_id) as devices
from
  defender_device_network_events
where
  timestamp > now() - interval '1 day'
  and initiating_process_file_name = 'powershell.exe'
  and remote_url is not null
group by
  remote_url
order by
  connections desc;
