package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// TestTimestampsAsPostgresStoresThem picks rows whose Defender time has a
// seventh fractional digit, which Postgres rounds (up from 5 on, half-way
// cases by the double product), and looks each up by the value a user sees
// and copies: =, a range, IN and NOT IN, with and without a LIMIT. Every
// scan must give Postgres's rows, and the row itself must be found.
func TestTimestampsAsPostgresStoresThem(t *testing.T) {
	def := schema.Lookup("DeviceProcessEvents")
	tbl, _ := srv.Data().Table(def.Name)
	ti := -1
	for i, c := range tbl.Columns {
		if c.Name == def.TimeColumn {
			ti = i
		}
	}
	byDigit := map[int][]time.Time{}
	tbl.Scan(func(vals []any) bool {
		if ts, ok := vals[ti].(time.Time); ok {
			d := ts.Nanosecond() / 100 % 10
			if len(byDigit[d]) < 3 {
				byDigit[d] = append(byDigit[d], ts)
			}
		}
		return true
	})
	var picked []time.Time
	for d := 1; d <= 9; d++ {
		if len(byDigit[d]) == 0 {
			t.Fatalf("no row has %d in the seventh fractional digit; the data set no longer exercises rounding", d)
		}
		picked = append(picked, byDigit[d]...)
	}
	cols := []string{"timestamp", "device_name", "report_id"}
	for _, raw := range picked {
		v := pgtime.Stored(raw)
		other := v.Add(-3 * time.Second)
		shapes := map[string][]Qual{
			"=":      {{Column: "timestamp", Op: "=", Value: v}},
			"range":  {{Column: "timestamp", Op: ">=", Value: v}, {Column: "timestamp", Op: "<=", Value: v}},
			"open":   {{Column: "timestamp", Op: ">", Value: v.Add(-time.Microsecond)}, {Column: "timestamp", Op: "<", Value: v.Add(time.Microsecond)}},
			"in":     {{Column: "timestamp", Op: "=", Value: []any{v, other}}},
			"not in": {{Column: "timestamp", Op: "<>", Value: []any{v, other}}, {Column: "timestamp", Op: ">=", Value: v.Add(-time.Second)}, {Column: "timestamp", Op: "<=", Value: v.Add(time.Second)}},
		}
		for name, qs := range shapes {
			for _, limit := range []int64{-1, 1} {
				s := Scan{Table: def.SQLName(), Connections: []string{conn}, Columns: cols, Quals: qs, Limit: limit}
				t.Run(raw.Format(time.RFC3339Nano)+"/"+name, func(t *testing.T) {
					checkScan(t, def, s)
					if name == "not in" {
						return
					}
					rows, err := plug.Execute(context.Background(), s)
					if err != nil {
						t.Fatal(err)
					}
					found := false
					for _, r := range rows {
						found = found || r["timestamp"] == v
					}
					if !found {
						t.Fatalf("the row at %s (shown as %s) was not found", raw.Format(time.RFC3339Nano), v.Format(time.RFC3339Nano))
					}
				})
			}
		}
	}
}

// TestGarbledQualsGivePostgresRows sends each qual shape the FDW garbles,
// with the SQL it stands for as Actual, with and without a LIMIT in the
// SQL: the rows must be Postgres's rows for that SQL, through the FDW's
// rule for passing LIMIT and Postgres's recheck.
func TestGarbledQualsGivePostgresRows(t *testing.T) {
	devices := schema.Lookup("DeviceInfo")
	procs := schema.Lookup("DeviceProcessEvents")
	sample := sampleTable(t, procs)
	names := []any{sample.pick("file_name", 0.2), sample.pick("file_name", 0.6)}
	cases := []struct {
		name string
		def  *schema.Table
		q    Qual
	}{
		{"is not true", devices, Qual{Column: "is_internet_facing", Op: "<>", Value: true, Actual: &Qual{Column: "is_internet_facing", Op: "is not true"}}},
		{"is false", devices, Qual{Column: "is_internet_facing", Op: "<>", Value: true, Actual: &Qual{Column: "is_internet_facing", Op: "is false"}}},
		{"<> true", devices, Qual{Column: "is_internet_facing", Op: "<>", Value: true}},
		{"array parameter", procs, Qual{Column: "file_name", Op: "=", Value: []any{}, Actual: &Qual{Column: "file_name", Op: "=", Value: names}}},
		{"like any", procs, Qual{Column: "file_name", Op: "~~", Value: []any{"%.exe", "s%"}}},
		{"like all", procs, Qual{Column: "file_name", Op: "~~", Value: []any{"%.exe", "s%"}, All: true}},
		{"not like all", procs, Qual{Column: "file_name", Op: "!~~", Value: []any{"%.exe", "s%"}, All: true}},
		{"< any", procs, Qual{Column: "process_id", Op: "<", Value: []any{int64(2000), int64(4000)}}},
		{"time array parameter", procs, Qual{Column: "timestamp", Op: "=", Value: []any{}, Actual: &Qual{Column: "timestamp", Op: "=", Value: []any{sample.pick("timestamp", 0.3), sample.pick("timestamp", 0.8)}}}},
		{"time not in", procs, Qual{Column: "timestamp", Op: "<>", Value: []any{sample.pick("timestamp", 0.3), sample.pick("timestamp", 0.8)}}},
	}
	for _, c := range cases {
		for _, limit := range []int64{-1, 5} {
			cols := scanColumns(c.def, []Qual{c.q})
			s := Scan{Table: c.def.SQLName(), Connections: []string{conn}, Columns: cols, Quals: []Qual{c.q}, Limit: limit}
			t.Run(c.name, func(t *testing.T) { checkScan(t, c.def, s) })
		}
	}
}

// TestGarbledTimeQualWithLimitIsRefused sends, on the time column (a key
// column, so the FDW passes the LIMIT), the shapes that no KQL can make
// exact: the scan must fail with one error that names the column and a
// rewrite that works.
func TestGarbledTimeQualWithLimitIsRefused(t *testing.T) {
	def := schema.Lookup("DeviceProcessEvents")
	week := simNow.Add(-7 * 24 * time.Hour)
	for name, c := range map[string]struct {
		q       Qual
		rewrite string
	}{
		"> any": {Qual{Column: "timestamp", Op: ">", Value: []any{week, week.Add(time.Hour)}}, "least("},
	} {
		t.Run(name, func(t *testing.T) {
			s := Scan{Table: def.SQLName(), Connections: []string{conn}, Columns: []string{"timestamp"}, Quals: []Qual{c.q}, Limit: 5}
			if l, _ := plug.fdwLimit(s); l != 5 {
				t.Fatalf("the FDW would not pass the LIMIT (%d); the case no longer tests anything", l)
			}
			_, err := plug.Execute(context.Background(), s)
			if err == nil || !strings.Contains(err.Error(), "timestamp") || !strings.Contains(err.Error(), c.rewrite) {
				t.Fatalf("got %v, want an error naming timestamp and %q", err, c.rewrite)
			}
		})
	}
}

// TestUpperBoundAloneKeepsTheDefaultWindow checks that `timestamp <= X`
// with X in the past returns only rows the same query without it returns:
// the window still starts 30 days before now.
func TestUpperBoundAloneKeepsTheDefaultWindow(t *testing.T) {
	def := schema.Lookup("DeviceProcessEvents")
	for _, days := range []int{5, 20} {
		up := simNow.Add(-time.Duration(days) * 24 * time.Hour)
		s := Scan{Table: def.SQLName(), Connections: []string{conn}, Columns: []string{"timestamp", "report_id"},
			Quals: []Qual{{Column: "timestamp", Op: "<=", Value: up}}, Limit: -1}
		t.Run(up.Format(time.DateOnly), func(t *testing.T) {
			checkScan(t, def, s)
			rows, err := plug.Execute(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			floor := time.Now().Add(-30 * 24 * time.Hour)
			for _, r := range rows {
				if ts := r["timestamp"].(time.Time); ts.Before(floor.Add(-time.Minute)) {
					t.Fatalf("row at %s is older than the default window (from %s)", ts, floor)
				}
			}
		})
	}
}
