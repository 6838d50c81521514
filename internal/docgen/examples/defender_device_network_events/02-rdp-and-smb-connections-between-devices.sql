-- title: RDP and SMB connections between devices
-- purpose: Lateral movement uses RDP (3389) and SMB (445); list which process connected where.
select
  timestamp,
  device_name,
  remote_ip,
  remote_url,
  remote_port,
  initiating_process_file_name
from
  defender_device_network_events
where
  timestamp > now() - interval '7 days'
  and remote_port in (3389, 445)
order by
  timestamp desc;
