package e2e

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// referenceSchema is the schema file the tables were declared from. CI
// checks out the shared reference folder beside the repository.
const referenceSchema = "../../../shared/reference/advanced-hunting-schema.json"

// TestSchema checks that GetSchema, asked of the running plugin, lists all
// 65 tables of the reference schema file with their columns and types,
// plus tenant_id, the current-state tables, defender_hunting_query and
// the four Graph security tables.
func TestSchema(t *testing.T) {
	b, err := os.ReadFile(referenceSchema)
	if err != nil {
		t.Skipf("reference schema not available: %v", err)
	}
	var ref struct {
		Tables []struct {
			Name    string `json:"name"`
			Columns []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"columns"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	got, err := plug.Schema(conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Tables) != 65 {
		t.Fatalf("reference lists %d tables", len(ref.Tables))
	}
	if want := 71 + len(schema.CurrentTables()); len(got.Schema) != want {
		t.Errorf("plugin lists %d tables, want 65 + the current-state tables + defender_hunting_query + defender_query_log + 4 Graph security tables", len(got.Schema))
	}
	for _, name := range []string{"defender_hunting_query", "defender_query_log", "defender_incident", "defender_alert",
		"defender_secure_score", "defender_secure_score_control_profile"} {
		if got.Schema[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	want := map[string]proto.ColumnType{
		"datetime": proto.ColumnType_TIMESTAMP, "long": proto.ColumnType_INT, "int": proto.ColumnType_INT,
		"real": proto.ColumnType_DOUBLE, "bool": proto.ColumnType_BOOL, "dynamic": proto.ColumnType_JSON,
		"string": proto.ColumnType_STRING, "guid": proto.ColumnType_STRING,
	}
	for _, rt := range ref.Tables {
		name := "defender_" + schema.SnakeCase(rt.Name)
		ts := got.Schema[name]
		if ts == nil {
			t.Errorf("table %s (%s) missing", name, rt.Name)
			continue
		}
		cols := map[string]*proto.ColumnDefinition{}
		for _, c := range ts.Columns {
			cols[c.Name] = c
		}
		if cols["tenant_id"] == nil || cols["tenant_id"].Type != proto.ColumnType_STRING {
			t.Errorf("%s: tenant_id missing", name)
		}
		for _, rc := range rt.Columns {
			cn := schema.SnakeCase(rc.Name)
			if cn == "tenant_id" {
				cn = "defender_tenant_id"
			}
			c := cols[cn]
			if c == nil {
				t.Errorf("%s: column %s (%s) missing", name, cn, rc.Name)
				continue
			}
			wt := want[rc.Type]
			if sc := schema.Lookup(rt.Name).Column(rc.Name); sc != nil && sc.JSONText {
				wt = proto.ColumnType_JSON
			}
			if c.Type != wt {
				t.Errorf("%s.%s: type %v, want %v (KQL %s)", name, cn, c.Type, wt, rc.Type)
			}
			if c.Description == "" {
				t.Errorf("%s.%s: no description", name, cn)
			}
		}
		// 3 SDK columns (sp_connection_name, sp_ctx, _ctx) and tenant_id.
		if n := len(ts.Columns) - 4; n != len(rt.Columns) {
			t.Errorf("%s: %d Defender columns, want %d", name, n, len(rt.Columns))
		}
	}
}
