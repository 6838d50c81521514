package docgen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// docsDir is the committed docs/tables directory, relative to this package.
const docsDir = "../../docs/tables"

// TestDocsUpToDate regenerates every document into a temporary directory and
// compares it, file by file, with docs/tables.
func TestDocsUpToDate(t *testing.T) {
	tmp := t.TempDir()
	if err := Write(tmp); err != nil {
		t.Fatal(err)
	}
	fresh, err := filepath.Glob(filepath.Join(tmp, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := filepath.Glob(filepath.Join(docsDir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh) != len(committed) {
		t.Errorf("generated %d documents, docs/tables has %d; run go run ./cmd/gendocs", len(fresh), len(committed))
	}
	for _, p := range fresh {
		want, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(docsDir, filepath.Base(p)))
		if err != nil {
			t.Errorf("%s is missing from docs/tables; run go run ./cmd/gendocs", filepath.Base(p))
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/tables/%s is out of date; run go run ./cmd/gendocs", filepath.Base(p))
		}
	}
}

func TestEveryTableHasDoc(t *testing.T) {
	names := []string{huntingQueryTable}
	for _, tb := range schema.Tables() {
		names = append(names, tb.SQLName())
	}
	if len(names) != 66 {
		t.Errorf("expected 65 schema tables plus defender_hunting_query, got %d", len(names))
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(docsDir, n+".md"))
		if err != nil {
			t.Errorf("no document for %s", n)
			continue
		}
		s := string(b)
		for _, want := range []string{
			"title: \"Steampipe Table: " + n + " - ",
			"\ndescription: ",
			"\n# Table: " + n + " - ",
			"\n## Table Usage Guide\n",
			"\n**Important notes:**\n",
			"\n## Examples\n",
			"```sql+postgres\n",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%s.md lacks %q", n, want)
			}
		}
	}
}

func TestExampleCounts(t *testing.T) {
	for _, tb := range schema.Tables() {
		n := len(Examples(tb))
		_, hand := handExamples[tb.SQLName()]
		switch {
		case hand && (n < 3 || n > 5):
			t.Errorf("%s: %d hand-written examples, want 3 to 5", tb.Name, n)
		case !hand && n != 2:
			t.Errorf("%s: %d generated examples, want 2", tb.Name, n)
		}
	}
	known := map[string]bool{huntingQueryTable: true}
	for _, tb := range schema.Tables() {
		known[tb.SQLName()] = true
	}
	for _, c := range schema.CurrentTables() {
		known[c.Name] = true
	}
	for name := range handExamples {
		if !known[name] {
			t.Errorf("examples/%s: no such table", name)
		}
	}
	for name := range inventoryFilters {
		tb := schema.Lookup(name)
		if tb == nil || tb.TimeColumn != "" {
			t.Errorf("inventory filter for %s, which is unknown or has a time column", name)
		}
	}
}

// TestGeneratedExamplesBoundTime checks that the generated examples of every
// table with a time column filter on it, so none reads the whole window.
func TestGeneratedExamplesBoundTime(t *testing.T) {
	for _, tb := range schema.Tables() {
		tc := timeColumn(tb)
		if _, hand := handExamples[tb.SQLName()]; hand || tc == "" {
			continue
		}
		for _, e := range generatedExamples(tb) {
			if !strings.Contains(e.SQL, "\n  "+tc+" >") {
				t.Errorf("%s: example %q has no condition on %s:\n%s", tb.Name, e.Title, tc, e.SQL)
			}
		}
	}
}

func TestValidateExample(t *testing.T) {
	procs := schema.Lookup("DeviceProcessEvents")
	good := []string{
		"select timestamp, device_name from defender_device_process_events where file_name = 'select from nowhere' limit 5;",
		"select count(*) as n from defender_device_process_events p where p.device_name ilike '%srv%' order by n desc;",
		"select p.file_name, i.os_platform from defender_device_process_events p join defender_device_info i on i.device_id = p.device_id;",
		"select additional_fields ->> 'Whatever' as x from defender_device_process_events where timestamp > now() - interval '1 day';",
		"select tenant_id from defender_device_process_events -- bogus_column in a comment\n;",
	}
	for _, sql := range good {
		if err := ValidateExample(procs, sql); err != nil {
			t.Errorf("rejected valid example %q: %v", sql, err)
		}
	}
	bad := map[string]string{
		"unknown column":         "select device_nam from defender_device_process_events;",
		"other table's column":   "select sender_from_address from defender_device_process_events;",
		"unknown table":          "select device_name from defender_device_process_event;",
		"bad qualified column":   "select p.remote_ip from defender_device_process_events p;",
		"unknown qualifier":      "select q.device_name from defender_device_process_events p;",
		"does not read table":    "select device_name from defender_device_info;",
		"Defender spelling":      "select DeviceName from defender_device_process_events;",
		"renamed tenant column":  "select tenant_id, defender_tenant_id from defender_device_process_events;",
		"column after a literal": "select device_name from defender_device_process_events where 'x' = remote_port;",
	}
	for why, sql := range bad {
		if err := ValidateExample(procs, sql); err == nil {
			t.Errorf("accepted an example with %s: %q", why, sql)
		}
	}
	ident := schema.Lookup("IdentityInfo")
	if err := ValidateExample(ident, "select defender_tenant_id, tenant_id from defender_identity_info;"); err != nil {
		t.Errorf("rejected defender_tenant_id on a table with TenantId: %v", err)
	}
}

func TestColumnNameAndType(t *testing.T) {
	for _, tc := range []struct {
		col        schema.Column
		name, kind string
	}{
		{schema.Column{Name: "TenantId", Type: schema.String}, "defender_tenant_id", "text"},
		{schema.Column{Name: "RemoteIP", Type: schema.String}, "remote_ip", "text"},
		{schema.Column{Name: "Timestamp", Type: schema.DateTime}, "timestamp", "timestamp with time zone"},
		{schema.Column{Name: "FileSize", Type: schema.Long}, "file_size", "bigint"},
		{schema.Column{Name: "ErrorCode", Type: schema.Int}, "error_code", "bigint"},
		{schema.Column{Name: "ConfigurationImpact", Type: schema.Real}, "configuration_impact", "double precision"},
		{schema.Column{Name: "IsSigned", Type: schema.Bool}, "is_signed", "boolean"},
		{schema.Column{Name: "RawEventData", Type: schema.Dynamic}, "raw_event_data", "jsonb"},
		{schema.Column{Name: "AdditionalFields", Type: schema.String, JSONText: true}, "additional_fields", "jsonb"},
		{schema.Column{Name: "AIAgentId", Type: schema.GUID}, "ai_agent_id", "text"},
	} {
		if got := ColumnName(tc.col); got != tc.name {
			t.Errorf("ColumnName(%s) = %q, want %q", tc.col.Name, got, tc.name)
		}
		if got := SQLType(tc.col); got != tc.kind {
			t.Errorf("SQLType(%s) = %q, want %q", tc.col.Name, got, tc.kind)
		}
	}
}

func TestRenderNotes(t *testing.T) {
	dep, err := RenderTable(schema.Lookup("AADSignInEventsBeta"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(dep, []byte("deprecated in Defender; use `defender_entra_id_sign_in_events` instead")) {
		t.Error("deprecated table's document does not name its replacement")
	}
	inv, err := RenderTable(schema.Lookup("DeviceTvmSoftwareInventory"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(inv, []byte("no time column")) || bytes.Contains(inv, []byte("time span")) {
		t.Error("inventory document should say the time window does not apply")
	}
	call, err := RenderTable(schema.Lookup("CallActivityEvents"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(call, []byte("Conditions on `activity_timestamp` are sent to Defender")) {
		t.Error("CallActivityEvents document does not use activity_timestamp as its time column")
	}
}

func TestCheckReportsDrift(t *testing.T) {
	if problems, err := Check(docsDir); err != nil || len(problems) > 0 {
		t.Fatalf("Check(docs/tables) = %v, %v; want no problems", problems, err)
	}
	tmp := t.TempDir()
	if err := Write(tmp); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(tmp, "defender_alert_info.md"), []byte("stale"), 0o644))
	must(os.Remove(filepath.Join(tmp, huntingQueryTable+".md")))
	must(os.WriteFile(filepath.Join(tmp, "defender_gone.md"), []byte("old"), 0o644))
	problems, err := Check(tmp)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"defender_alert_info.md: out of date",
		"defender_gone.md: no table produces it",
		huntingQueryTable + ".md: missing",
	}
	if strings.Join(problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("Check = %q, want %q", problems, want)
	}
	// Write repairs all three.
	must(Write(tmp))
	if problems, _ := Check(tmp); len(problems) > 0 {
		t.Errorf("after Write, Check = %q", problems)
	}
}

func TestEmbedConfig(t *testing.T) {
	index := []byte("# Title\n\n" + configBegin + "old text\n" + configEnd + "\nAfter.\n")
	got, err := EmbedConfig(index, []byte("connection \"x\" {}\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\n" + configBegin + "\n```hcl\nconnection \"x\" {}\n```\n\n" + configEnd + "\nAfter.\n"
	if string(got) != want {
		t.Errorf("EmbedConfig =\n%s\nwant\n%s", got, want)
	}
	again, err := EmbedConfig(got, []byte("connection \"x\" {}\n"))
	if err != nil || !bytes.Equal(again, got) {
		t.Errorf("EmbedConfig is not idempotent: %q, %v", again, err)
	}
	if _, err := EmbedConfig([]byte("# no markers\n"), []byte("x")); err == nil {
		t.Error("EmbedConfig accepted an index without markers")
	}
}

// TestIndexEmbedsConfig keeps the configuration example in docs/index.md
// identical to config/defender.spc.
func TestIndexEmbedsConfig(t *testing.T) {
	changed, err := RefreshIndex("../../docs/index.md", "../../config/defender.spc", false)
	if err != nil {
		t.Fatal(err)
	}
	if changed {
		t.Error("docs/index.md does not embed the current config/defender.spc; run go run ./cmd/gendocs")
	}
}

// TestExamplesInBothDialects checks that every example of every table
// page has one ```sql+postgres and one ```sql+sqlite block, and that both
// agree on whether rows are expected.
func TestExamplesInBothDialects(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(docsDir, "*.md"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in %s: %v", docsDir, err)
	}
	examples := 0
	for _, p := range pages {
		md, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		byHeading := map[string][]Block{}
		for _, b := range ParseBlocks(name, string(md)) {
			byHeading[b.Heading] = append(byHeading[b.Heading], b)
		}
		for _, h := range exampleHeadings(string(md)) {
			examples++
			bs := byHeading[h]
			if len(bs) != 2 || bs[0].Dialect != "postgres" || bs[1].Dialect != "sqlite" {
				var got []string
				for _, b := range bs {
					got = append(got, b.Dialect)
				}
				t.Errorf("%s: example %q has blocks %v, want [postgres sqlite]", name, h, got)
				continue
			}
			if bs[0].ExpectNone != bs[1].ExpectNone {
				t.Errorf("%s: example %q: only one dialect is marked %s", name, h, ExpectNone)
			}
		}
	}
	if examples < len(pages) {
		t.Errorf("found %d examples in %d pages", examples, len(pages))
	}
}

// exampleHeadings returns the ### headings of md's Examples section.
func exampleHeadings(md string) []string {
	var out []string
	in := false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## Examples"
		case in && strings.HasPrefix(line, "### "):
			out = append(out, strings.TrimPrefix(line, "### "))
		}
	}
	return out
}

func TestToSQLite(t *testing.T) {
	got, err := toSQLite("select a ->> 'X' from t where ts > now() - interval '7 days' and n ilike '%x%'\n" +
		"  and d < to_char(now() + interval '90 days', 'YYYY-MM-DD') and s = 'now() :: ?';")
	want := "select a ->> 'X' from t where ts > datetime('now', '-7 days') and n like '%x%'\n" +
		"  and d < date('now', '+90 days') and s = 'now() :: ?';"
	if err != nil || got != want {
		t.Errorf("toSQLite = %q, %v; want %q", got, err, want)
	}
	for _, pg := range []string{
		"select distinct on (a) a from t;",
		"select a::bigint from t;",
		"select a from t where tags @> '[\"x\"]';",
		"select a from t, lateral jsonb_array_elements_text(t.b) as e(v);",
		"select a from t where ts >= date_trunc('month', now());",
	} {
		if got, err := toSQLite(pg); err == nil {
			t.Errorf("toSQLite(%q) = %q, want an error", pg, got)
		}
	}
}
