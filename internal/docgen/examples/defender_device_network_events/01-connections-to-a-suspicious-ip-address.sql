-- title: Connections to a suspicious IP address
-- purpose: Find every device and process that reached an address from threat intelligence, such as a Tor exit node.
select
  timestamp,
  device_name,
  remote_ip,
  remote_port,
  initiating_process_file_name,
  initiating_process_command_line
from
  defender_device_network_events
where
  timestamp > now() - interval '30 days'
  and remote_ip in ('185.220.101.47', '185.220.101.48');
