package sim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMDEResponseShape(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, mdeRes)
	r := f.post(mdePath, tok, map[string]string{
		"Query": `DeviceProcessEvents | take 2 | project Timestamp, L = long(9007199254740993), E = "", N = real(null)`,
	})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	top := decodeObject(t, r.body)
	if len(top) != 3 || top["Stats"] == nil || top["Schema"] == nil || top["Results"] == nil {
		t.Fatalf("members: %s", trim(r.body))
	}
	var stats struct {
		ExecutionTime *float64
		Datasets      []struct {
			Rows *int `json:"table_row_count"`
		} `json:"dataset_statistics"`
	}
	mustUnmarshal(t, top["Stats"], &stats)
	if stats.ExecutionTime == nil || len(stats.Datasets) != 1 || stats.Datasets[0].Rows == nil || *stats.Datasets[0].Rows != 2 {
		t.Errorf("Stats: %s", top["Stats"])
	}
	var schema []map[string]string
	mustUnmarshal(t, top["Schema"], &schema)
	want := []map[string]string{
		{"Name": "Timestamp", "Type": "DateTime"}, {"Name": "L", "Type": "Int64"},
		{"Name": "E", "Type": "String"}, {"Name": "N", "Type": "Double"},
	}
	if len(schema) != len(want) {
		t.Fatalf("Schema: %v", schema)
	}
	for i := range want {
		if len(schema[i]) != 2 || schema[i]["Name"] != want[i]["Name"] || schema[i]["Type"] != want[i]["Type"] {
			t.Errorf("Schema[%d] = %v, want %v", i, schema[i], want[i])
		}
	}
	var rows []map[string]any
	mustUnmarshal(t, top["Results"], &rows)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, row := range rows {
		ts, _ := row["Timestamp"].(string)
		if _, err := time.Parse("2006-01-02T15:04:05.0000000Z", ts); err != nil {
			t.Errorf("Timestamp %q is not UTC with 7 fractional digits", ts)
		}
		if row["L"] != json.Number("9007199254740993") || row["E"] != "" {
			t.Errorf("row %v", row)
		}
		if v, ok := row["N"]; !ok || v != nil {
			t.Errorf("N = %v (present %v), want null", v, ok)
		}
	}
}

func TestMDERequestRules(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, mdeRes)
	r := f.post(mdePath, tok, map[string]string{"query": "DeviceInfo | take 1"})
	if r.status != http.StatusBadRequest {
		t.Fatalf("lower-case query: status %d", r.status)
	}
	if e := mdeErr(t, r.body); e.Error.Code != "MissingRequiredParameter" || e.Error.Target == "" ||
		!strings.Contains(e.Error.Message, "case-sensitive") {
		t.Errorf("lower-case query: %s", r.body)
	}
	if r := f.post(mdePath, tok, `{"Query":`); r.status != http.StatusBadRequest || mdeErr(t, r.body).Error.Code != "InvalidRequestBody" {
		t.Errorf("broken JSON: status %d: %s", r.status, r.body)
	}
	r = f.post(mdePath, tok, map[string]string{"Query": "NoSuchTable"})
	if r.status != http.StatusBadRequest || mdeErr(t, r.body).Error.Code != "BadRequest" {
		t.Errorf("bad query: status %d: %s", r.status, r.body)
	}
	if r := f.post("/api/machines", tok, `{}`); r.status != http.StatusNotFound {
		t.Errorf("other MDE path: status %d", r.status)
	}
}

// TestMDEWindowIs30Days checks that MDE always looks back 30 days.
func TestMDEWindowIs30Days(t *testing.T) {
	f := newFixture(t)
	all := scanTimes(t, f.s, "DeviceProcessEvents", "Timestamp")
	want := countIn(all, t0.Add(-30*24*time.Hour), t0)
	r := f.post(mdePath, f.token(appAll, mdeRes), map[string]string{"Query": "DeviceProcessEvents | project Timestamp"})
	var rows []json.RawMessage
	mustUnmarshal(t, decodeObject(t, r.body)["Results"], &rows)
	if len(rows) != want {
		t.Errorf("%d rows, want %d", len(rows), want)
	}
}
