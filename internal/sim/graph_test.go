package sim

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// countIn counts the times inside [from, to].
func countIn(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && !t.After(to) {
			n++
		}
	}
	return n
}

// TestTimespanForms checks each Timespan form against the rows the data
// set holds in the window the form denotes.
func TestTimespanForms(t *testing.T) {
	f := newFixture(t)
	all := scanTimes(t, f.s, "DeviceProcessEvents", "Timestamp")
	day := 24 * time.Hour
	iso := func(t time.Time) string { return t.Format(time.RFC3339) }
	tests := []struct {
		name, span string
		from, to   time.Time
	}{
		{"start/end", iso(t0.Add(-10*day)) + "/" + iso(t0.Add(-5*day)), t0.Add(-10 * day), t0.Add(-5 * day)},
		{"duration/end", "P3D/" + iso(t0.Add(-2*day)), t0.Add(-5 * day), t0.Add(-2 * day)},
		{"start/duration", iso(t0.Add(-20*day)) + "/P2D", t0.Add(-20 * day), t0.Add(-18 * day)},
		{"duration", "P7D", t0.Add(-7 * day), t0},
		{"start", iso(t0.Add(-12 * day)), t0.Add(-12 * day), t0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := countIn(all, tc.from, tc.to)
			if want == 0 {
				t.Fatalf("the data set has no rows in %v..%v; the test proves nothing", tc.from, tc.to)
			}
			got := f.graph("DeviceProcessEvents | project Timestamp", tc.span)
			if len(got.results) != want {
				t.Errorf("got %d rows, want %d", len(got.results), want)
			}
			for _, r := range got.results {
				ts, err := time.Parse(time.RFC3339Nano, r["Timestamp"].(string))
				if err != nil || ts.Before(tc.from) || ts.After(tc.to) {
					t.Errorf("row time %v outside %v..%v (%v)", r["Timestamp"], tc.from, tc.to, err)
				}
			}
		})
	}
}

// TestDefaultWindowIs30Days checks that rows older than 30 days are out of
// reach without a Timespan and within reach with a longer one.
func TestDefaultWindowIs30Days(t *testing.T) {
	f := newFixture(t)
	all := scanTimes(t, f.s, "DeviceProcessEvents", "Timestamp")
	in30 := countIn(all, t0.Add(-30*24*time.Hour), t0)
	in90 := countIn(all, t0.Add(-90*24*time.Hour), t0)
	if in90 == in30 {
		t.Fatal("the data set has no rows older than 30 days; the test proves nothing")
	}
	if got := len(f.graph("DeviceProcessEvents | project Timestamp", "").results); got != in30 {
		t.Errorf("no Timespan: %d rows, want %d (30 days)", got, in30)
	}
	if got := len(f.graph("DeviceProcessEvents | project Timestamp", "P90D").results); got != in90 {
		t.Errorf("P90D: %d rows, want %d", got, in90)
	}
	// A query-side filter cannot reach past the window.
	q := "DeviceProcessEvents | where Timestamp < ago(31d) | project Timestamp"
	if got := len(f.graph(q, "").results); got != 0 {
		t.Errorf("rows older than 31 days visible without Timespan: %d", got)
	}
}

// TestWindowLeavesInventoryTables checks that a table without a time
// column is not cut by the window.
func TestWindowLeavesInventoryTables(t *testing.T) {
	f := newFixture(t)
	tab, ok := f.s.Data().Table("DeviceTvmSoftwareInventory")
	if !ok {
		t.Fatal("no DeviceTvmSoftwareInventory")
	}
	want := 0
	tab.Scan(func([]engine.Value) bool { want++; return true })
	if want == 0 {
		t.Fatal("empty inventory table")
	}
	span := t0.Add(-48*time.Hour).Format(time.RFC3339) + "/" + t0.Add(-47*time.Hour).Format(time.RFC3339)
	if got := len(f.graph("DeviceTvmSoftwareInventory", span).results); got != want {
		t.Errorf("got %d rows in a one-hour window, want all %d", got, want)
	}
}

// TestGraphResponseShape checks member names, .NET type names, datetime
// precision, exact longs, "" versus null and nested dynamics.
func TestGraphResponseShape(t *testing.T) {
	f := newFixture(t)
	q := `DeviceProcessEvents | take 1 | project S = "x", E = "", L = long(9007199254740993), ` +
		`Big = 9223372036854775807, I = int(7), R = real(1.5), B = true, ` +
		`D = datetime(2024-03-26T09:39:50.7688641Z), D0 = datetime(2024-03-26T09:39:50Z), ` +
		`G = guid(6f1c2b7e-0d4a-4c1e-9a53-3b8f2d7c5e10), Y = dynamic({"a":[1,2,{"b":null}]}), ` +
		`T = 1h, N = long(null)`
	g := f.graph(q, "")
	if g.context != f.s.URL()+"/v1.0/$metadata#microsoft.graph.security.huntingQueryResults" {
		t.Errorf("@odata.context = %q", g.context)
	}
	wantTypes := [][2]string{{"S", "String"}, {"E", "String"}, {"L", "Int64"}, {"Big", "Int64"}, {"I", "Int32"},
		{"R", "Double"}, {"B", "Boolean"}, {"D", "DateTime"}, {"D0", "DateTime"}, {"G", "Guid"},
		{"Y", "Object"}, {"T", "TimeSpan"}, {"N", "Int64"}}
	if len(g.schema) != len(wantTypes) {
		t.Fatalf("schema has %d columns: %v", len(g.schema), g.schema)
	}
	for i, w := range wantTypes {
		if len(g.schema[i]) != 2 || g.schema[i]["name"] != w[0] || g.schema[i]["type"] != w[1] {
			t.Errorf("schema[%d] = %v, want name %s type %s", i, g.schema[i], w[0], w[1])
		}
	}
	if len(g.results) != 1 {
		t.Fatalf("%d rows", len(g.results))
	}
	row := g.results[0]
	want := map[string]any{
		"S": "x", "E": "", "L": json.Number("9007199254740993"), "Big": json.Number("9223372036854775807"),
		"I": json.Number("7"), "R": json.Number("1.5"), "B": true,
		"D": "2024-03-26T09:39:50.7688641Z", "D0": "2024-03-26T09:39:50.0000000Z",
		"G": "6f1c2b7e-0d4a-4c1e-9a53-3b8f2d7c5e10", "T": "01:00:00",
	}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("%s = %#v, want %#v", k, row[k], v)
		}
	}
	if v, ok := row["N"]; !ok || v != nil {
		t.Errorf("N = %#v (present %v), want JSON null", v, ok)
	}
	y, _ := json.Marshal(row["Y"])
	if string(y) != `{"a":[1,2,{"b":null}]}` {
		t.Errorf("Y = %s, want nested JSON", y)
	}
}

// TestGraphBetaAndLowerCaseQuery checks the beta path and the lower-case
// property names that the beta document uses.
func TestGraphBetaAndLowerCaseQuery(t *testing.T) {
	f := newFixture(t)
	r := f.post("/beta/security/runHuntingQuery", f.token(appAll, graphRes),
		map[string]string{"query": "DeviceInfo | take 2", "timespan": "P1D"})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	g := decodeGraph(t, r.body)
	if !strings.HasSuffix(g.context, "/beta/$metadata#microsoft.graph.security.huntingQueryResults") {
		t.Errorf("@odata.context = %q", g.context)
	}
	if c := f.s.Calls(); c[len(c)-1].Timespan != "P1D" {
		t.Errorf("timespan not read from 'timespan': %+v", c[len(c)-1])
	}
}

// TestQueryErrors checks that engine errors come back as 400 with the
// engine's message in Graph's envelope.
func TestQueryErrors(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	for _, q := range []string{
		"NoSuchTable | take 1",
		"DeviceProcessEvents | where",
		"DeviceProcessEvents | project NoSuchColumn",
	} {
		_, engErr := engine.Run(q, f.s.Data(), func() time.Time { return t0 })
		var want *engine.Error
		if !errors.As(engErr, &want) {
			t.Fatalf("%q: the engine gave %v, not an engine error", q, engErr)
		}
		r := f.post(graphPath, tok, map[string]string{"Query": q})
		if r.status != http.StatusBadRequest {
			t.Errorf("%q: status %d", q, r.status)
			continue
		}
		e := graphErr(t, r.body)
		if e.Error.Code != "BadRequest" || !strings.Contains(e.Error.Message, want.Message) {
			t.Errorf("%q: envelope %s, want BadRequest with %q", q, r.body, want.Message)
		}
		if e.Error.InnerError.RequestID == "" || e.Error.InnerError.Date == "" ||
			e.Error.InnerError.ClientRequestID != "c0ffee00-0000-4000-8000-000000000001" {
			t.Errorf("%q: innerError %+v", q, e.Error.InnerError)
		}
	}
}

// TestGraphRequestValidation covers content type, body shape and
// Timespan errors.
func TestGraphRequestValidation(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	if r := f.postType(graphPath, tok, "text/plain", `{"Query":"DeviceInfo"}`); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: status %d", r.status)
	}
	if r := f.postType(graphPath, tok, "application/json; charset=utf-8", `{"Query":"DeviceInfo | take 1"}`); r.status != http.StatusOK {
		t.Errorf("charset parameter: status %d: %s", r.status, r.body)
	}
	for name, body := range map[string]string{
		"not JSON":           `{"Query":`,
		"array":              `["DeviceInfo"]`,
		"no query":           `{"Timespan":"P1D"}`,
		"empty query":        `{"Query":"  "}`,
		"query not a string": `{"Query":42}`,
		"unknown parameter":  `{"Query":"DeviceInfo","Top":5}`,
		"query twice":        `{"Query":"DeviceInfo","query":"DeviceInfo"}`,
		"bad timespan":       `{"Query":"DeviceInfo","Timespan":"last week"}`,
		"timespan reversed":  `{"Query":"DeviceInfo","Timespan":"2026-05-09T00:00:00Z/2026-05-01T00:00:00Z"}`,
	} {
		r := f.post(graphPath, tok, body)
		if r.status != http.StatusBadRequest || graphErr(t, r.body).Error.Code != "BadRequest" {
			t.Errorf("%s: status %d: %s", name, r.status, r.body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, f.s.URL()+graphPath, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", resp.StatusCode)
	}
	if r := f.post("/v1.0/security/alerts", tok, `{}`); r.status != http.StatusNotFound {
		t.Errorf("other Graph path: status %d", r.status)
	}
}
