-- title: Alerts mapped to an ATT&CK technique
-- purpose: Find alerts tagged with command and scripting interpreter (T1059).
select
  timestamp,
  title,
  severity,
  attack_techniques
from
  defender_alert_info
where
  timestamp > now() - interval '30 days'
  and attack_techniques like '%T1059%';
