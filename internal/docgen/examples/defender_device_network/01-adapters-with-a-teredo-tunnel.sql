-- title: Adapters with a Teredo tunnel
-- purpose: Network adapters whose latest report shows Teredo tunnelling.
select
  device_name,
  network_adapter_name,
  tunnel_type
from
  defender_device_network
where
  tunnel_type = 'Teredo';
