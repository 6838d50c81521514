package docgen

// deviceExamples covers the Defender for Endpoint and Vulnerability
// Management tables.
var deviceExamples = map[string][]Example{
	"DeviceProcessEvents": {
		{
			Title:   "Encoded PowerShell commands",
			Purpose: "Find PowerShell started with an encoded command in the last day, a common way to hide a script.",
			SQL: `select
  timestamp,
  device_name,
  account_name,
  process_command_line,
  initiating_process_file_name
from
  defender_device_process_events
where
  timestamp > now() - interval '1 day'
  and file_name in ('powershell.exe', 'pwsh.exe')
  and process_command_line ilike '%-enc%'
order by
  timestamp desc;`,
		},
		{
			Title:   "Shells started by WMI or remote PowerShell",
			Purpose: "Command interpreters whose parent is the WMI or WinRM host often mean remote execution by an attacker moving laterally.",
			SQL: `select
  timestamp,
  device_name,
  account_name,
  initiating_process_file_name,
  file_name,
  process_command_line
from
  defender_device_process_events
where
  timestamp > now() - interval '30 days'
  and initiating_process_file_name in ('WmiPrvSE.exe', 'wsmprovhost.exe')
  and file_name in ('cmd.exe', 'powershell.exe', 'pwsh.exe')
order by
  timestamp desc;`,
		},
		{
			Title:   "Download attempts with certutil",
			Purpose: "Spot certutil used to fetch files from the internet.",
			SQL: `select
  timestamp,
  device_name,
  account_upn,
  process_command_line
from
  defender_device_process_events
where
  timestamp > now() - interval '7 days'
  and file_name = 'certutil.exe'
  and process_command_line ilike '%urlcache%';`,
		},
		{
			Title:   "Rare executables in the fleet",
			Purpose: "Count the devices that ran each file hash over the last day and keep the rarest ones.",
			SQL: `select
  sha256,
  file_name,
  count(distinct device_id) as devices
from
  defender_device_process_events
where
  timestamp > now() - interval '1 day'
  and sha256 is not null
group by
  sha256,
  file_name
order by
  devices
limit 20;`,
		},
		{
			Title:   "Latest processes on one device",
			Purpose: "The order and limit run in Defender, so this reads only 50 rows.",
			SQL: `select
  timestamp,
  file_name,
  process_command_line,
  account_name,
  initiating_process_file_name
from
  defender_device_process_events
where
  device_name = 'ws-fin-022.corp.larkspur.example'
order by
  timestamp desc
limit 50;`,
		},
	},
	"DeviceNetworkEvents": {
		{
			Title:   "Connections to a suspicious IP address",
			Purpose: "Find every device and process that reached an address from threat intelligence, such as a Tor exit node.",
			SQL: `select
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
  and remote_ip in ('185.220.101.47', '185.220.101.48');`,
		},
		{
			Title:   "RDP and SMB connections between devices",
			Purpose: "Lateral movement uses RDP (3389) and SMB (445); list which process connected where.",
			SQL: `select
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
  timestamp desc;`,
		},
		{
			Title:   "Domains contacted by PowerShell",
			Purpose: "Count the remote URLs that PowerShell connected to over the last day.",
			SQL: `select
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
  connections desc;`,
		},
		{
			Title:   "Failed outbound connections by device",
			Purpose: "A burst of failed connections can point to scanning or a broken agent.",
			SQL: `select
  device_name,
  count(*) as failures
from
  defender_device_network_events
where
  timestamp > now() - interval '1 day'
  and action_type = 'ConnectionFailed'
group by
  device_name
order by
  failures desc
limit 10;`,
		},
	},
	"DeviceFileEvents": {
		{
			Title:   "Macro-enabled Office documents written to disk",
			Purpose: "Documents with macros (.docm, .xlsm) are a common way in for malware.",
			SQL: `select
  timestamp,
  device_name,
  folder_path,
  file_name,
  initiating_process_file_name
from
  defender_device_file_events
where
  timestamp > now() - interval '30 days'
  and action_type = 'FileCreated'
  and (file_name ilike '%.docm' or file_name ilike '%.xlsm');`,
		},
		{
			Title:   "Executables downloaded from the internet",
			Purpose: "List executables that carry a download origin URL.",
			SQL: `select
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
  timestamp desc;`,
		},
		{
			Title:   "Where a file hash appeared",
			Purpose: "Trace a known-bad file across all devices.",
			SQL: `select
  timestamp,
  device_name,
  action_type,
  folder_path,
  initiating_process_account_name
from
  defender_device_file_events
where
  sha256 = 'b03bb58071c65502d19b7c7d4ee4611f1d53cf4edadbc5789cccb10cba14b50b'
  and timestamp > now() - interval '30 days';`,
		},
		{
			Title:      "Mass renames by one process",
			Purpose:    "Many renames in a short time by one process can be ransomware encrypting files; a healthy tenant returns nothing.",
			ExpectNone: true,
			SQL: `select
  device_name,
  initiating_process_file_name,
  count(*) as renames
from
  defender_device_file_events
where
  timestamp > now() - interval '1 hour'
  and action_type = 'FileRenamed'
group by
  device_name,
  initiating_process_file_name
having
  count(*) > 100
order by
  renames desc;`,
		},
	},
	"DeviceLogonEvents": {
		{
			Title:   "Failed logons by account",
			Purpose: "Count failed logons per account and device over the last day.",
			SQL: `select
  account_domain,
  account_name,
  device_name,
  count(*) as failures
from
  defender_device_logon_events
where
  timestamp > now() - interval '1 day'
  and action_type = 'LogonFailed'
group by
  account_domain,
  account_name,
  device_name
order by
  failures desc
limit 20;`,
		},
		{
			Title:   "Remote interactive logons from public addresses",
			Purpose: "RDP logons straight from the internet deserve a look.",
			SQL: `select
  timestamp,
  device_name,
  account_name,
  remote_ip
from
  defender_device_logon_events
where
  timestamp > now() - interval '7 days'
  and logon_type = 'RemoteInteractive'
  and remote_ip_type = 'Public'
  and action_type = 'LogonSuccess';`,
		},
		{
			Title:   "Local administrator logons",
			Purpose: "List successful logons with local administrator rights.",
			SQL: `select
  timestamp,
  device_name,
  account_domain,
  account_name,
  logon_type
from
  defender_device_logon_events
where
  timestamp > now() - interval '1 day'
  and is_local_admin = true
  and action_type = 'LogonSuccess'
order by
  timestamp desc
limit 100;`,
		},
	},
	"DeviceInfo": {
		{
			Title:   "Latest state of each device",
			Purpose: "DeviceInfo holds periodic reports, so keep the newest one per device.",
			SQL: `select distinct on (device_id)
  device_id,
  device_name,
  os_platform,
  os_version,
  sensor_health_state,
  exposure_level,
  timestamp
from
  defender_device_info
where
  timestamp > now() - interval '1 day'
order by
  device_id,
  timestamp desc;`,
			// SQLite takes the bare columns of a max() query from the row
			// holding the maximum.
			SQLite: `select
  device_id,
  device_name,
  os_platform,
  os_version,
  sensor_health_state,
  exposure_level,
  max(timestamp) as timestamp
from
  defender_device_info
where
  timestamp > datetime('now', '-1 day')
group by
  device_id;`,
		},
		{
			Title:   "Onboarded devices with an unhealthy sensor",
			Purpose: "Take each device's latest report, then keep those whose Defender sensor is not active.",
			SQL: `select
  device_name,
  sensor_health_state,
  client_version,
  timestamp
from
  (
    select distinct on (device_id)
      device_id,
      device_name,
      onboarding_status,
      sensor_health_state,
      client_version,
      timestamp
    from
      defender_device_info
    where
      timestamp > now() - interval '7 days'
    order by
      device_id,
      timestamp desc
  ) as latest
where
  onboarding_status = 'Onboarded'
  and sensor_health_state <> 'Active';`,
			SQLite: `select
  device_name,
  sensor_health_state,
  client_version,
  timestamp
from
  (
    select
      device_name,
      onboarding_status,
      sensor_health_state,
      client_version,
      max(timestamp) as timestamp
    from
      defender_device_info
    where
      timestamp > datetime('now', '-7 days')
    group by
      device_id
  ) as latest
where
  onboarding_status = 'Onboarded'
  and sensor_health_state <> 'Active';`,
		},
		{
			Title:   "Internet-facing devices",
			Purpose: "List devices reported as reachable from the internet at least once in the last week.",
			SQL: `select distinct on (device_id)
  device_name,
  public_ip,
  os_platform,
  exposure_level
from
  defender_device_info
where
  timestamp > now() - interval '7 days'
  and is_internet_facing = true
order by
  device_id,
  timestamp desc;`,
			SQLite: `select
  device_name,
  public_ip,
  os_platform,
  exposure_level,
  max(timestamp) as timestamp
from
  defender_device_info
where
  timestamp > datetime('now', '-7 days')
  and is_internet_facing = true
group by
  device_id;`,
		},
		{
			Title:   "Devices per operating system",
			Purpose: "Count distinct devices by platform over the last week.",
			SQL: `select
  os_platform,
  count(distinct device_id) as devices
from
  defender_device_info
where
  timestamp > now() - interval '7 days'
group by
  os_platform
order by
  devices desc;`,
		},
	},
	"DeviceEvents": {
		{
			Title:   "Antivirus detections",
			Purpose: "List antivirus detections with the threat name read from the JSON column.",
			SQL: `select
  timestamp,
  device_name,
  file_name,
  folder_path,
  additional_fields ->> 'ThreatName' as threat_name
from
  defender_device_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'AntivirusDetection'
order by
  timestamp desc;`,
		},
		{
			Title:   "USB drives mounted",
			Purpose: "See which removable drives were attached, and where.",
			SQL: `select
  timestamp,
  device_name,
  additional_fields ->> 'ProductName' as product,
  additional_fields ->> 'SerialNumber' as serial_number,
  additional_fields ->> 'DriveLetter' as drive_letter
from
  defender_device_events
where
  timestamp > now() - interval '30 days'
  and action_type = 'UsbDriveMounted';`,
		},
		{
			Title:   "Attack surface reduction events by rule",
			Purpose: "Count ASR rule hits, audited or blocked, over the last week.",
			SQL: `select
  action_type,
  count(*) as events,
  count(distinct device_id) as devices
from
  defender_device_events
where
  timestamp > now() - interval '7 days'
  and action_type like 'Asr%'
group by
  action_type
order by
  events desc;`,
		},
		{
			Title:   "Scheduled tasks created",
			Purpose: "New scheduled tasks are a common way to persist; check the process that created each one.",
			SQL: `select
  timestamp,
  device_name,
  initiating_process_account_name,
  initiating_process_file_name,
  initiating_process_command_line,
  additional_fields ->> 'TaskName' as task_name
from
  defender_device_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'ScheduledTaskCreated'
order by
  timestamp desc;`,
		},
	},
	"DeviceRegistryEvents": {
		{
			Title:   "New Run key entries",
			Purpose: "Values added under Run keys start a program at every logon.",
			SQL: `select
  timestamp,
  device_name,
  registry_key,
  registry_value_name,
  registry_value_data,
  initiating_process_file_name
from
  defender_device_registry_events
where
  timestamp > now() - interval '7 days'
  and action_type = 'RegistryValueSet'
  and registry_key ilike '%CurrentVersion%Run%';`,
		},
		{
			Title:   "Changes to Defender policy keys",
			Purpose: "Find registry writes under the Windows Defender policy key, a sign of tampering.",
			SQL: `select
  timestamp,
  device_name,
  registry_key,
  registry_value_name,
  registry_value_data,
  initiating_process_account_name
from
  defender_device_registry_events
where
  timestamp > now() - interval '30 days'
  and registry_key ilike '%Policies%Microsoft%Windows Defender%';`,
		},
		{
			Title:   "Registry changes per process",
			Purpose: "Count registry changes by the process that made them on one device.",
			SQL: `select
  initiating_process_file_name,
  action_type,
  count(*) as changes
from
  defender_device_registry_events
where
  timestamp > now() - interval '7 days'
  and device_name = 'sql-01.corp.larkspur.example'
group by
  initiating_process_file_name,
  action_type
order by
  changes desc;`,
		},
	},
	"DeviceTvmSoftwareVulnerabilities": {
		{
			Title:   "Critical vulnerabilities per device",
			Purpose: "Rank devices by the number of critical CVEs in their installed software.",
			SQL: `select
  device_name,
  count(distinct cve_id) as critical_cves
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level = 'Critical'
group by
  device_name
order by
  critical_cves desc
limit 20;`,
		},
		{
			Title:   "Devices affected by one CVE",
			Purpose: "List the devices and software versions exposed to a given vulnerability.",
			SQL: `select
  device_name,
  software_vendor,
  software_name,
  software_version,
  recommended_security_update
from
  defender_device_tvm_software_vulnerabilities
where
  cve_id = 'CVE-2021-44228';`,
		},
		{
			Title:   "Most vulnerable software",
			Purpose: "Count high and critical CVEs per software product.",
			SQL: `select
  software_vendor,
  software_name,
  count(distinct cve_id) as cves,
  count(distinct device_id) as devices
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level in ('High', 'Critical')
group by
  software_vendor,
  software_name
order by
  cves desc
limit 20;`,
		},
		{
			Title:   "Zero-day vulnerabilities",
			Purpose: "List devices exposed to vulnerabilities tagged as zero-days; the JSON test runs in Postgres.",
			SQL: `select
  device_name,
  software_name,
  software_version,
  cve_id
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level in ('High', 'Critical')
  and cve_tags @> '["ZeroDay"]';`,
			SQLite: `select
  device_name,
  software_name,
  software_version,
  cve_id
from
  defender_device_tvm_software_vulnerabilities
where
  vulnerability_severity_level in ('High', 'Critical')
  and exists (
    select
      1
    from
      json_each(cve_tags)
    where
      value = 'ZeroDay'
  );`,
		},
	},
}
