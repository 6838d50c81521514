-- title: Files seen as alert evidence
-- purpose: List the files attached to alerts, with their hashes.
select
  timestamp,
  alert_id,
  file_name,
  folder_path,
  sha256
from
  defender_alert_evidence
where
  timestamp > now() - interval '30 days'
  and entity_type = 'File'
order by
  timestamp desc;
