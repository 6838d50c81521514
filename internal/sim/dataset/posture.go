package dataset

import (
	"fmt"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// The posture story: devices and accounts whose state changes over the
// window, so that the latest report of an entity differs from its other
// reports, and the posture benchmark (mods/defender_posture) finds at
// least one passing and one failing entity for every control.
//
// A change sets a column of one entity's reports: the entity's latest
// report gets After, every earlier one Before. Entities are devices (by
// short name) in the device tables and accounts (by the login of their
// UPN) in
// IdentityInfo. The values are set after edge values, so none is blanked.
type change struct {
	table, entity, col string
	before, after      engine.Value
}

var changes = []change{
	// Device health, in DeviceInfo.
	{"DeviceInfo", "ws-hr-003", "OnboardingStatus", "Onboarded", "InsufficientInfo"},
	{"DeviceInfo", "ws-eng-117", "OnboardingStatus", "CanBeOnboarded", "Onboarded"},
	{"DeviceInfo", "ws-eng-117", "OSPlatform", "Windows10", "Windows11"}, // upgraded
	{"DeviceInfo", "ws-fin-014", "SensorHealthState", "Active", "Inactive"},
	{"DeviceInfo", "dc-01", "SensorHealthState", "Active", "ImpairedCommunication"},
	{"DeviceInfo", "ws-it-002", "SensorHealthState", "Inactive", "Active"},
	{"DeviceInfo", "ws-it-002", "OnboardingStatus", "Onboarded", "Onboarded"},
	{"DeviceInfo", "ws-it-002", "ExposureLevel", "Low", "Low"},
	{"DeviceInfo", "web-lnx-01", "ExposureLevel", "Medium", "High"},
	{"DeviceInfo", "ws-exec-001", "ExposureLevel", "High", "Low"},
	// One adapter per device, whose Teredo tunnel is turned on or off.
	{"DeviceNetworkInfo", "ws-sales-031", "NetworkAdapterName", "Ethernet", "Ethernet"},
	{"DeviceNetworkInfo", "ws-sales-031", "TunnelType", "None", "Teredo"},
	{"DeviceNetworkInfo", "ws-it-002", "NetworkAdapterName", "Ethernet", "Ethernet"},
	{"DeviceNetworkInfo", "ws-it-002", "TunnelType", "Teredo", "None"},
	// Identity risk.
	{"IdentityInfo", "priya.raman", "RiskLevel", "Low", "High"},
	{"IdentityInfo", "priya.raman", "RiskStatus", "None", "AtRisk"},
	{"IdentityInfo", "hannah.schmidt", "RiskLevel", "High", "Low"},
	{"IdentityInfo", "hannah.schmidt", "RiskStatus", "AtRisk", "Remediated"},
	{"IdentityInfo", "marcus.hall", "RiskLevel", "Low", "High"},
	{"IdentityInfo", "marcus.hall", "RiskStatus", "None", "ConfirmedCompromised"},
}

// Other planted posture facts.
const (
	staleDevice    = "lt-mkt-019"   // sends no DeviceInfo report in the last 7 days
	passiveAV      = "ws-ops-012"   // antivirus now in passive mode
	oldSignatures  = "sql-01"       // antivirus signatures 20 days old
	compliantHost  = "ws-it-002"    // passes every configuration check
	staleFor       = 8 * day        // how far the stale device's recent reports move back
	staleCutoff    = 7 * day        // reports newer than this move back
	signatureAge   = 6 * time.Hour  // usual age of antivirus signatures at a report
	oldSignatureAt = 20 * day       // age of oldSignatures' signatures at its latest report
	avFieldVersion = "1.419.512.0"  // antivirus signature version in every report
	avEngine       = "1.1.24080.9"  // antivirus engine version in every report
	avPlatform     = "4.18.24080.9" // antivirus platform version in every report
)

// failingHosts fail every configuration check that applies to them.
var failingHosts = map[string]bool{"ws-fin-014": true, "build-lnx-02": true}

// benchmarks are the base benchmarks of the baseline profiles.
var benchmarks = map[string]string{"bp-win11-l1": "CIS", "bp-srv2022-l1": "CIS", "bp-ubuntu-stig": "STIG"}

// An entity with changes has a designated latest report: its first row
// in the table (tables with changes cycle through their entities), dated
// a minute or so before now. Its other reports of the last hour move an
// hour back, so the designated one is the latest whatever the table's
// length, and rows stay a function of their index alone.
const (
	latestAge = time.Minute
	clearance = time.Hour
)

// planted names the entities with a designated latest report, by table.
var planted = func() map[string]map[string]bool {
	m := map[string]map[string]bool{"DeviceTvmInfoGathering": {passiveAV: true, oldSignatures: true, compliantHost: true}}
	for _, ch := range changes {
		if m[ch.table] == nil {
			m[ch.table] = map[string]bool{}
		}
		m[ch.table][ch.entity] = true
	}
	return m
}()

// entity returns the row's entity name and its position in the pool the
// table cycles through.
func (c *rowCtx) entity(table string) (string, int) {
	if table == "IdentityInfo" {
		return strings.TrimSuffix(c.u.UPN, "@"+mailDomain), c.i % len(c.d.t.Users)
	}
	return c.dev.Short, c.i % len(c.d.t.Devices)
}

// isLatest reports whether the row is the designated latest report of a
// planted entity.
func (c *rowCtx) isLatest(table string) bool {
	name, first := c.entity(table)
	return planted[table][name] && c.i == first
}

// postureTime is the row's report time: the designated latest report is
// the newest, and the stale device sends nothing in the last 7 days.
func (c *rowCtx) postureTime(table string) time.Time {
	name, first := c.entity(table)
	now, t := c.d.now, c.t
	switch {
	case planted[table][name] && c.i == first:
		return now.Add(-latestAge - time.Duration(first)*time.Second)
	case planted[table][name] && t.After(now.Add(-clearance)):
		return t.Add(-clearance)
	case table == "DeviceInfo" && name == staleDevice && t.After(now.Add(-staleCutoff)):
		return t.Add(-staleFor)
	}
	return t
}

// finals are the last word on a table's row, after edge values and plants.
var finals = map[string]func(c *rowCtx, row []engine.Value){}

func init() {
	byTable := map[string][]change{}
	for _, ch := range changes {
		byTable[ch.table] = append(byTable[ch.table], ch)
	}
	for table, chs := range byTable {
		finals[table] = changeFinal(table, chs)
	}
	finals["DeviceTvmInfoGathering"] = avFinal()
	for _, table := range []string{"DeviceInfo", "DeviceNetworkInfo", "DeviceTvmInfoGathering", "IdentityInfo"} {
		finals[table] = withPostureTime(table, finals[table])
	}
	finals["DeviceTvmSecureConfigurationAssessment"] = complianceFinal("DeviceTvmSecureConfigurationAssessment", func(c *rowCtx) bool {
		return c.item.(*secConfig).Impact >= 9
	})
	finals["DeviceBaselineComplianceAssessment"] = complianceFinal("DeviceBaselineComplianceAssessment", func(*rowCtx) bool { return true })
	profile, bench, status := colIndex("DeviceBaselineComplianceProfiles", "ProfileId"),
		colIndex("DeviceBaselineComplianceProfiles", "BaseBenchmark"), colIndex("DeviceBaselineComplianceProfiles", "Status")
	finals["DeviceBaselineComplianceProfiles"] = func(_ *rowCtx, row []engine.Value) {
		id, _ := row[profile].(string)
		row[bench], row[status] = benchmarks[id], true
	}
}

// changeFinal applies the changes of one table.
func changeFinal(table string, chs []change) func(c *rowCtx, row []engine.Value) {
	idx := make([]int, len(chs))
	for k, ch := range chs {
		idx[k] = colIndex(table, ch.col)
	}
	return func(c *rowCtx, row []engine.Value) {
		name, _ := c.entity(table)
		latest := c.isLatest(table)
		for k, ch := range chs {
			if ch.entity != name {
				continue
			}
			row[idx[k]] = ch.before
			if latest {
				row[idx[k]] = ch.after
			}
		}
	}
}

// avFinal adds the antivirus fields to every DeviceTvmInfoGathering
// report's AdditionalFields: active mode and signatures a few hours old,
// except for the latest reports of passiveAV and oldSignatures.
func avFinal() func(c *rowCtx, row []engine.Value) {
	add := colIndex("DeviceTvmInfoGathering", "AdditionalFields")
	return func(c *rowCtx, row []engine.Value) {
		fields := map[string]any{}
		if d, ok := row[add].(engine.Dynamic); ok {
			if m, ok := d.V.(map[string]any); ok {
				for k, v := range m {
					fields[k] = v
				}
			}
		}
		latest := c.isLatest("DeviceTvmInfoGathering")
		mode, age := "0", signatureAge
		if latest && c.dev.Short == passiveAV {
			mode = "1"
		}
		if latest && c.dev.Short == oldSignatures {
			age = oldSignatureAt
		}
		fields["AvMode"] = mode
		fields["AvSignatureVersion"] = avFieldVersion
		fields["AvEngineVersion"] = avEngine
		fields["AvPlatformVersion"] = avPlatform
		fields["AvSignatureUpdateTime"] = c.postureTime("DeviceTvmInfoGathering").Add(-age).UTC().Format("2006-01-02T15:04:05Z")
		row[add] = engine.Dynamic{V: fields}
	}
}

// complianceFinal makes compliantHost pass every check of table and the
// failing hosts fail every check for which fails is true.
func complianceFinal(table string, fails func(c *rowCtx) bool) func(c *rowCtx, row []engine.Value) {
	compliant, applicable := colIndex(table, "IsCompliant"), colIndex(table, "IsApplicable")
	exempt := -1
	if schema.Lookup(table).Column("IsExempt") != nil {
		exempt = colIndex(table, "IsExempt")
	}
	return func(c *rowCtx, row []engine.Value) {
		switch {
		case c.dev.Short == compliantHost:
			row[compliant], row[applicable] = true, true
		case failingHosts[c.dev.Short] && fails(c):
			row[compliant], row[applicable] = false, true
		default:
			return
		}
		if exempt >= 0 {
			row[exempt] = false
		}
	}
}

// colIndex is the position of column col in table.
func colIndex(table, col string) int {
	st := schema.Lookup(table)
	for k, c := range st.Columns {
		if c.Name == col {
			return k
		}
	}
	panic(fmt.Sprintf("dataset: posture: no column %s.%s", table, col))
}

// withPostureTime sets the table's time column to the posture time, after
// f's changes.
func withPostureTime(table string, f func(c *rowCtx, row []engine.Value)) func(c *rowCtx, row []engine.Value) {
	ts := colIndex(table, schema.Lookup(table).TimeColumn)
	return func(c *rowCtx, row []engine.Value) {
		f(c, row)
		row[ts] = c.postureTime(table)
	}
}
