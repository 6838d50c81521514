package schema

// Current declares a current-state table: the latest row of a snapshot
// table for each entity. Defender reports snapshots of devices and
// accounts every few hours; a current-state table keeps one row per
// entity, as KQL `summarize arg_max(Timestamp, *) by <keys>` does, so
// that a posture question does not read every snapshot of the window.
type Current struct {
	Name        string   // SQL table name
	Source      string   // Defender snapshot table, which has a time column
	Keys        []string // Defender columns that identify one entity
	Description string   // one line, in our own words
}

// currents are the current-state tables.
var currents = []Current{
	{
		Name: "defender_device", Source: "DeviceInfo", Keys: []string{"DeviceId"},
		Description: "Current state of each device: its latest DeviceInfo report (onboarding, sensor health, OS, exposure level).",
	},
	{
		Name: "defender_device_network", Source: "DeviceNetworkInfo", Keys: []string{"DeviceId", "NetworkAdapterName"},
		Description: "Current state of each network adapter of each device: its latest DeviceNetworkInfo report.",
	},
	{
		Name: "defender_identity", Source: "IdentityInfo", Keys: []string{"AccountObjectId"},
		Description: "Current state of each account known to Defender for Identity and Entra ID: its latest IdentityInfo report.",
	},
	{
		Name: "defender_device_tvm_info", Source: "DeviceTvmInfoGathering", Keys: []string{"DeviceId"},
		Description: "Current state of each device as vulnerability management gathers it (antivirus mode and signatures, and other settings in additional_fields): its latest DeviceTvmInfoGathering report.",
	},
}

// CurrentTables returns the current-state tables. The result is shared;
// callers must not modify it.
func CurrentTables() []Current { return currents }
