package dataset

import (
	"encoding/json"
	"fmt"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// keyCols are never blanked by withEdges: they carry joins and stories.
var keyCols = map[string]bool{
	"DeviceId": true, "DeviceName": true, "NetworkMessageId": true, "AlertId": true, "CveId": true,
	"ProcessId": true, "InitiatingProcessId": true, "ActionType": true, "ErrorCode": true,
	"AccountUpn": true, "RecipientEmailAddress": true, "ThreatTypes": true, "Url": true,
	"ConfigurationId": true, "ProfileId": true, "NodeId": true, "EdgeId": true, "SourceNodeId": true,
	"TargetNodeId": true, "IgId": true, "ExtensionId": true, "SoftwareName": true, "SoftwareVendor": true,
	"SoftwareVersion": true, "VulnerabilitySeverityLevel": true, "EntityType": true, "Title": true,
	"Severity": true, "IsClickedThrough": true, "FileName": true, "EmailDirection": true,
	"BehaviorId": true, "CvssScore": true, "ProcessCommandLine": true, "InitiatingProcessFileName": true,
	"AccountObjectId": true, "PermissionId": true, "OSPlatform": true,
}

// withEdges makes about one value in 64 of a non-key column empty (for
// strings) or null (for other types), so consumers meet both everywhere.
func withEdges(st *schema.Table, col schema.Column, g gen) gen {
	if col.Name == st.TimeColumn || keyCols[col.Name] {
		return g
	}
	if col.Type == schema.String {
		return func(c *rowCtx) engine.Value {
			v := g(c)
			if c.r.next()&63 == 0 {
				return ""
			}
			return v
		}
	}
	return func(c *rowCtx) engine.Value {
		v := g(c)
		if c.r.next()&63 == 0 {
			return nil
		}
		return v
	}
}

// plantSpec overrides one column of one row with an edge value.
type plantSpec struct {
	row int
	col string
	v   engine.Value
}

const (
	bigLong     = int64(9223372036854775000) // above 2^53: loses precision as a float64
	invalidJSON = `{"Tags": ["unterminated", 2`
	trickyJSON  = `{"Quote":"it's \"quoted\"","Path":"C:\\Temp\\50%_off","Text":"Grüße, Привет, 你好 🎉","Nested":{"Null":null,"List":[1,2.5,-3]}}`
	trickyText  = "Ünïcödé – Привет – 你好 – 🎉 \"double\" 'single' 100%_off C:\\Temp\\x\ttab"
)

// plants are the hand-placed edge values. Rows that tell the process
// stories carry their edge values in the process model instead (see
// specialImages), so that parent and child rows agree.
var plants = map[string][]plantSpec{
	"DeviceProcessEvents": {
		{14, "ReportId", bigLong},
		{15, "ReportId", int64(-42)},
		{15, "CreatedProcessSessionId", int64(-1)},
		{15, "FileSize", nil},
		{16, "AccountDomain", ""},
		{16, "AccountName", ""},
		{17, "ProcessCreationTime", nil},
		{18, "AdditionalFields", invalidJSON},
		{19, "AdditionalFields", trickyJSON},
		{20, "ProcessVersionInfoCompanyName", trickyText},
	},
	"DeviceInfo": {
		{2, "LoggedOnUsers", `[]`},
		{3, "AdditionalFields", invalidJSON},
		{4, "OSBuild", nil},
		{4, "IsAzureADJoined", nil},
		{5, "MachineGroup", `Finance "Q3" 100%_team\EMEA`},
		{6, "Model", "Surface Pro 9 – Größe M – 日本語"},
		{7, "ReportId", bigLong + 7},
		{8, "ReportId", int64(-7)},
		{9, "AdditionalFields", trickyJSON},
	},
	"EmailEvents": {
		{4, "Subject", trickyText},
		{5, "Subject", ""},
		{6, "BulkComplaintLevel", nil},
		{8, "EmailClusterId", int64(9223372036854775806)},
		{9, "AdditionalFields", invalidJSON},
		{10, "AdditionalFields", trickyJSON},
		{11, "Subject", "Rückruf: Größe & Maß – 请回复 🙏🏽"},
	},
	"CloudAppEvents": {
		{1, "RawEventData", nil},
		{2, "ActivityObjects", engine.Dynamic{V: []any{}}},
		{3, "AdditionalFields", engine.Dynamic{V: "plain string"}},
		{4, "AdditionalFields", engine.Dynamic{V: json.Number("-12")}},
		{5, "AdditionalFields", engine.Dynamic{V: true}},
		{6, "RawEventData", engine.Dynamic{V: map[string]any{"Deep": map[string]any{"Deeper": []any{nil, map[string]any{"Big": json.Number("9223372036854775807")}}}}}},
		{7, "ObjectName", trickyText},
	},
	"DeviceNetworkEvents": {
		{5, "ReportId", bigLong + 5},
		{6, "LocalPort", nil},
		{7, "AdditionalFields", invalidJSON},
	},
}

// plant is one row's compiled overrides.
type plant []struct {
	idx int
	v   engine.Value
}

func (p plant) apply(row []engine.Value) {
	for _, o := range p {
		row[o.idx] = o.v
	}
}

// plantsFor compiles the overrides of table st by row.
func plantsFor(st *schema.Table) map[int]plant {
	out := map[int]plant{}
	for _, s := range plants[st.Name] {
		idx := -1
		for k, c := range st.Columns {
			if c.Name == s.col {
				idx = k
			}
		}
		if idx < 0 {
			panic(fmt.Sprintf("dataset: plant for unknown column %s.%s", st.Name, s.col))
		}
		out[s.row] = append(out[s.row], struct {
			idx int
			v   engine.Value
		}{idx, s.v})
	}
	return out
}
