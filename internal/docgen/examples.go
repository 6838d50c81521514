package docgen

import (
	"fmt"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// Example is one SQL example in a table document.
type Example struct {
	// Title is the example's H3 heading.
	Title string
	// Purpose is a one-line explanation shown under the heading.
	Purpose string
	// SQL is the Postgres query, without a trailing newline.
	SQL string
	// SQLite is the same query in SQLite's dialect, for defender-sql. It
	// is set only where the translation is not mechanical; otherwise
	// SQLiteSQL derives it from SQL.
	SQLite string
	// ExpectNone marks an example that may rightly return no rows, such as
	// a threshold that a quiet tenant never reaches; the document marks its
	// block with the test bed's <!-- expect: none --> comment.
	ExpectNone bool
}

// Examples returns the examples for t: the hand-written ones when there are
// any (examplefiles.go), otherwise two generated from the table's shape.
func Examples(t *schema.Table) []Example {
	if ex, ok := handExamples[t.SQLName()]; ok {
		return ex
	}
	return generatedExamples(t)
}

// entityKeys are the columns that identify the entity a snapshot row
// reports on, in order of preference.
var entityKeys = []string{"DeviceId", "AccountObjectId", "AccountId", "OAuthAppId", "AgentId", "AIAgentId"}

// generatedExamples builds a recent-rows example and a second, kind-specific
// one for a table without hand-written examples.
func generatedExamples(t *schema.Table) []Example {
	cols := strings.Join(showColumns(t, 5), ",\n  ")
	name := t.SQLName()
	tc := timeColumn(t)
	if tc == "" {
		ex := []Example{{
			Title:   "List entries",
			Purpose: "Take a first look at the table's rows.",
			SQL:     fmt.Sprintf("select\n  %s\nfrom\n  %s\nlimit 50;", cols, name),
		}}
		if f, ok := inventoryFilters[t.Name]; ok {
			ex = append(ex, Example{
				Title:   f.title,
				Purpose: f.purpose,
				SQL:     fmt.Sprintf("select\n  %s\nfrom\n  %s\nwhere\n  %s;", cols, name, f.where),
			})
		}
		return ex
	}
	ex := []Example{{
		Title:   "List the latest records",
		Purpose: "Show the 20 newest rows of the last day; the order and limit run in Defender.",
		SQL: fmt.Sprintf("select\n  %s\nfrom\n  %s\nwhere\n  %s > now() - interval '1 day'\norder by\n  %s desc\nlimit 20;",
			cols, name, tc, tc),
	}}
	if t.Kind == "snapshot" {
		for _, k := range entityKeys {
			if c := t.Column(k); c != nil {
				key := ColumnName(*c)
				rest := strings.Join(showColumns(t, 5)[1:], ",\n  ")
				ex = append(ex, Example{
					Title:   "Latest state of each entity",
					Purpose: fmt.Sprintf("Keep only the newest report per `%s` from the last 7 days.", key),
					SQL: fmt.Sprintf("select distinct on (%s)\n  %s\nfrom\n  %s\nwhere\n  %s > now() - interval '7 days'\norder by\n  %s,\n  %s desc;",
						key, cols, name, tc, key, tc),
					// SQLite takes the bare columns of a max() query
					// from the row holding the maximum.
					SQLite: fmt.Sprintf("select\n  max(%s) as %s,\n  %s\nfrom\n  %s\nwhere\n  %s > datetime('now', '-7 days')\ngroup by\n  %s;",
						tc, tc, rest, name, tc, key),
				})
				return ex
			}
		}
	}
	if c := t.Column("ActionType"); c != nil {
		return append(ex, Example{
			Title:   "Count records by action type",
			Purpose: "See which kinds of activity the table recorded over the last 7 days.",
			SQL: fmt.Sprintf("select\n  action_type,\n  count(*) as records\nfrom\n  %s\nwhere\n  %s > now() - interval '7 days'\ngroup by\n  action_type\norder by\n  records desc;",
				name, tc),
		})
	}
	return append(ex, Example{
		Title:   "Records in a time range",
		Purpose: "Read the two weeks that ended a week ago; both bounds are passed to Defender.",
		SQL: fmt.Sprintf("select\n  %s\nfrom\n  %s\nwhere\n  %s >= now() - interval '21 days'\n  and %s < now() - interval '7 days';",
			cols, name, tc, tc),
	})
}

// showColumns picks the time column, if any, then further scalar columns,
// n+1 in all.
func showColumns(t *schema.Table, n int) []string {
	var out []string
	if tc := timeColumn(t); tc != "" {
		out = append(out, tc)
	}
	for _, c := range t.Columns {
		if len(out) > n || c.IsJSON() || c.Name == t.TimeColumn || c.Name == "ReportId" {
			continue
		}
		out = append(out, ColumnName(c))
	}
	return out
}

// inventoryFilter is a filtered listing for a table without a time column.
type inventoryFilter struct{ title, purpose, where string }

var inventoryFilters = map[string]inventoryFilter{
	"DeviceBaselineComplianceAssessment": {"Failing baseline checks", "List applicable checks that devices do not meet.",
		"is_compliant = false\n  and is_applicable = true"},
	"DeviceBaselineComplianceAssessmentKB": {"Find authentication-related checks", "Search the knowledge base by check name.",
		"configuration_name ilike '%authentication%'"},
	"DeviceBaselineComplianceProfiles": {"Profiles that are turned on", "List the baseline profiles currently in force.",
		"status = true"},
	"DeviceTvmBrowserExtensions": {"High-risk extensions", "Find devices with browser extensions rated high risk.",
		"extension_risk in ('High', 'Critical')"},
	"DeviceTvmBrowserExtensionsKB": {"Riskier permissions", "List extension permissions rated medium or high risk.",
		"permission_risk in ('Medium', 'High')"},
	"DeviceTvmCertificateInfo": {"Certificates expiring soon", "Find certificates that expired or expire within 90 days; the dates are ISO 8601 text.",
		"expiration_date < to_char(now() + interval '90 days', 'YYYY-MM-DD')"},
	"DeviceTvmHardwareFirmware": {"BIOS versions", "List the BIOS component of each device.",
		"component_type = 'Bios'"},
	"DeviceTvmInfoGatheringKB": {"Fields about TLS", "Find gathered fields that describe TLS settings.",
		"field_name ilike '%tls%'"},
	"DeviceTvmSecureConfigurationAssessmentKB": {"High-impact configuration checks", "List the checks that weigh most on exposure.",
		"configuration_impact >= 7"},
	"DeviceTvmSoftwareEvidenceBeta": {"Where a product was found", "Show the evidence for one software product.",
		"software_name ilike '%chrome%'"},
	"DeviceTvmSoftwareInventory": {"Software past end of support", "Find installed versions that no longer get updates.",
		"end_of_support_status = 'EOS Version'"},
	"DeviceTvmSoftwareVulnerabilitiesKB": {"Critical vulnerabilities with public exploits", "Find the vulnerabilities to patch first.",
		"is_exploit_available = true\n  and vulnerability_severity_level = 'Critical'"},
	"ExposureGraphEdges": {"Authentication paths", "List which identities can authenticate to which assets.",
		"edge_label = 'can authenticate to'"},
	"ExposureGraphNodes": {"Device nodes", "List the devices in the exposure graph.",
		"node_label = 'device'"},
}
