package e2e

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// joinCatalog is the join shapes people write against the hunting tables,
// each as the conditions that touch the inner table.
func joinCatalog(def *schema.Table) []JoinShape {
	var ids []string
	for _, c := range def.Columns {
		n := c.SQLName()
		if n == "tenant_id" {
			n = "defender_tenant_id" // Defender's own TenantId column
		}
		if strings.HasSuffix(n, "_id") || strings.HasSuffix(n, "_upn") || strings.HasSuffix(n, "sha256") || n == "device_name" || n == "file_name" {
			ids = append(ids, n)
		}
	}
	ts := schema.SnakeCase(def.TimeColumn)
	var out []JoinShape
	add := func(eq ...string) {
		out = append(out, JoinShape{Equal: eq})
		if ts != "" {
			// with a time inequality, as in "the parent started before"
			out = append(out, JoinShape{Equal: eq, Other: []string{ts}})
		}
	}
	for i, a := range ids {
		add(a)
		for _, b := range ids[i+1:] {
			add(a, b)
			for _, c := range []string{"process_creation_time", "logon_id", "recipient_email_address", "account_upn"} {
				if hasColumn(def, c) && c != a && c != b {
					add(a, b, c)
				}
			}
		}
	}
	return out
}

func hasColumn(def *schema.Table, sqlName string) bool {
	for _, c := range def.Columns {
		if c.SQLName() == sqlName {
			return true
		}
	}
	return false
}

// TestJoinPathsCannotDropConditions computes, from the plugin's schema,
// the parameterised paths the FDW would offer Postgres for every table,
// and checks that none of the join shapes people write (process trees,
// logon sessions, mail clicks, alerts with evidence, any join on ids, with
// or without a time inequality) could be planned on a path that drops
// conditions. It then lists the key columns through which a join can
// still be mis-planned, and checks that docs/joins.md names each one.
func TestJoinPathsCannotDropConditions(t *testing.T) {
	sch, err := plug.Schema(conn)
	if err != nil {
		t.Fatal(err)
	}
	risky := map[string]bool{}
	shapes := 0
	for _, def := range schema.Tables() {
		ts := sch.GetSchema()[def.SQLName()]
		if ts == nil {
			t.Fatalf("no schema for %s", def.SQLName())
		}
		paths := fdwPaths(ts)
		for _, s := range joinCatalog(def) {
			shapes++
			if p := misplanned(paths, s); p != nil {
				t.Errorf("%s: a join on %v (other conditions on %v) may be planned on the path %v, which drops conditions", def.SQLName(), s.Equal, s.Other, p)
			}
		}
		keys := map[string]bool{}
		for _, kc := range ts.GetListCallKeyColumnList() {
			keys[kc.Name] = true
		}
		for _, p := range paths {
			for _, c := range p {
				switch {
				case def.TimeColumn != "" && c == schema.SnakeCase(def.TimeColumn):
					risky["the time column"] = true
				case keys[c]:
					risky[c] = true
				}
			}
		}
	}
	// Every other table (incidents, alerts, secure scores): its key columns
	// must be time columns, so that no join on ids finds a path.
	for name, ts := range sch.GetSchema() {
		if name == "defender_hunting_query" || isHunting(name) {
			continue
		}
		types := map[string]proto.ColumnType{}
		for _, c := range ts.GetColumns() {
			types[c.Name] = c.Type
		}
		for _, kc := range append(ts.GetListCallKeyColumnList(), ts.GetGetCallKeyColumnList()...) {
			switch {
			case kc.Name == "tenant_id" || kc.Name == "sp_connection_name":
			case types[kc.Name] == proto.ColumnType_TIMESTAMP:
				risky["the time column"] = true
			default:
				t.Errorf("%s: key column %s lets the FDW plan a join on it that drops conditions", name, kc.Name)
			}
		}
	}
	// The named shapes, on the tables they are written against.
	named := []struct {
		table string
		shape JoinShape
	}{
		{"DeviceProcessEvents", JoinShape{Equal: []string{"device_id", "process_id", "process_creation_time"}}},
		{"DeviceProcessEvents", JoinShape{Equal: []string{"device_id", "process_id"}, Other: []string{"timestamp"}}},
		{"DeviceLogonEvents", JoinShape{Equal: []string{"device_id", "logon_id"}}},
		{"DeviceProcessEvents", JoinShape{Equal: []string{"device_id", "initiating_process_logon_id"}}},
		{"UrlClickEvents", JoinShape{Equal: []string{"network_message_id", "account_upn"}}},
		{"EmailEvents", JoinShape{Equal: []string{"network_message_id", "recipient_email_address"}}},
		{"AlertEvidence", JoinShape{Equal: []string{"alert_id"}, Other: []string{"timestamp"}}},
		{"AlertInfo", JoinShape{Equal: []string{"alert_id"}}},
	}
	for _, n := range named {
		def := schema.Lookup(n.table)
		if p := misplanned(fdwPaths(sch.GetSchema()[def.SQLName()]), n.shape); p != nil {
			t.Errorf("%s: %v may be planned on %v", def.SQLName(), n.shape, p)
		}
	}
	var cols []string
	for c := range risky {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	t.Logf("%d join shapes checked on %d tables; joins that equate one of %v and have any other condition can still be mis-planned", shapes, len(schema.Tables()), cols)
	doc, err := os.ReadFile("../../docs/joins.md")
	if err != nil {
		t.Fatal(err)
	}
	_, remaining, _ := strings.Cut(string(doc), "## Joins the FDW can still mis-plan")
	for _, c := range cols {
		name := "`" + c + "`"
		if c == "the time column" {
			name = "**time column**"
		}
		if !strings.Contains(remaining, name) {
			t.Errorf("docs/joins.md does not name %s among the columns a join must not equate", name)
		}
	}
}

// TestJoinsCostOneScanEachSide runs, FDW-shaped, joins of the shapes above:
// with no parameterised path to take, Postgres hash-joins one scan of each
// side, each with its own conditions, so a join costs one call per side
// whatever the number of rows. The joined rows must equal Postgres's over
// the simulator's data.
func TestJoinsCostOneScanEachSide(t *testing.T) {
	week := Qual{Column: "timestamp", Op: ">", Value: simNow.Add(-20 * 24 * time.Hour)}
	cases := []struct {
		name         string
		outer, inner string
		outerCols    []string
		innerCols    []string
		on           [][2]string // outer column = inner column
	}{
		{"process and parent", "DeviceProcessEvents", "DeviceProcessEvents",
			[]string{"timestamp", "device_id", "initiating_process_id", "initiating_process_creation_time", "file_name"},
			[]string{"timestamp", "device_id", "process_id", "process_creation_time", "file_name"},
			[][2]string{{"device_id", "device_id"}, {"initiating_process_id", "process_id"}, {"initiating_process_creation_time", "process_creation_time"}}},
		{"logon session", "DeviceLogonEvents", "DeviceProcessEvents",
			[]string{"timestamp", "device_id", "logon_id", "account_name"},
			[]string{"timestamp", "device_id", "initiating_process_logon_id", "file_name"},
			[][2]string{{"device_id", "device_id"}, {"logon_id", "initiating_process_logon_id"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(srv.Calls())
			outer := mustRows(t, Scan{Table: schema.Lookup(c.outer).SQLName(), Connections: []string{conn}, Columns: c.outerCols, Quals: []Qual{week}, Limit: -1})
			inner := mustRows(t, Scan{Table: schema.Lookup(c.inner).SQLName(), Connections: []string{conn}, Columns: c.innerCols, Quals: []Qual{week}, Limit: -1})
			calls := srv.Calls()[before:]
			got := hashJoin(outer, inner, c.on)

			full := func(table string, cols []string) []Row {
				def := schema.Lookup(table)
				tbl, _ := srv.Data().Table(def.Name)
				rows, err := Expect(def, tbl, Scan{Columns: cols, Quals: []Qual{week}, Limit: -1}, srv.Tenant())
				if err != nil {
					t.Fatal(err)
				}
				return rows
			}
			want := hashJoin(full(c.outer, c.outerCols), full(c.inner, c.innerCols), c.on)
			if len(want) == 0 {
				t.Fatal("the reference join is empty; the data set no longer exercises it")
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("joined %d rows, Postgres %d", len(got), len(want))
			}
			if len(calls) != 2 {
				t.Fatalf("the join made %d calls, want one per side", len(calls))
			}
			t.Logf("%d outer rows, %d inner rows, %d joined rows, %d calls", len(outer), len(inner), len(got), len(calls))
		})
	}
}

func mustRows(t *testing.T, s Scan) []Row {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	rows, err := plug.Execute(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// hashJoin joins rows on equal non-NULL values of each column pair, as
// Postgres's hash join does, and returns the joined rows as sorted text.
func hashJoin(outer, inner []Row, on [][2]string) []string {
	key := func(r Row, side int) (string, bool) {
		var b strings.Builder
		for _, p := range on {
			v := r[p[side]]
			if v == nil {
				return "", false
			}
			fmt.Fprintf(&b, "%T:%v|", v, v)
		}
		return b.String(), true
	}
	byKey := map[string][]Row{}
	for _, r := range inner {
		if k, ok := key(r, 1); ok {
			byKey[k] = append(byKey[k], r)
		}
	}
	var out []string
	for _, o := range outer {
		k, ok := key(o, 0)
		if !ok {
			continue
		}
		for _, i := range byKey[k] {
			out = append(out, fmt.Sprint(sortedRow(o), " ⋈ ", sortedRow(i)))
		}
	}
	sort.Strings(out)
	return out
}

func sortedRow(r Row) string {
	var ks []string
	for k := range r {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		fmt.Fprintf(&b, "%s=%v;", k, r[k])
	}
	return b.String()
}

// isHunting reports whether name is one of the advanced hunting tables.
func isHunting(name string) bool {
	for _, def := range schema.Tables() {
		if def.SQLName() == name {
			return true
		}
	}
	return false
}
