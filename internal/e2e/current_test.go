package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// TestCurrentState scans each current-state table, with no condition and
// with one on another column, and compares its rows with the latest row
// per key of the source table, computed from the simulator's data with
// Postgres semantics. Each scan is one API call.
func TestCurrentState(t *testing.T) {
	for _, cs := range schema.CurrentTables() {
		def := schema.Lookup(cs.Source)
		var cols []string
		for _, c := range def.Columns {
			cols = append(cols, schema.SnakeCase(c.Name))
		}
		cols = append(cols, "tenant_id")
		filters := map[string][]Qual{"all": nil}
		switch cs.Name {
		case "defender_device":
			// Latest state is Windows 11: ws-eng-117 now, not the devices
			// that merely were Windows 11 at some point.
			filters["os_platform"] = []Qual{{Column: "os_platform", Op: "=", Value: "Windows11"}}
		case "defender_identity":
			filters["risk_level"] = []Qual{{Column: "risk_level", Op: "=", Value: "High"}}
		}
		for name, quals := range filters {
			t.Run(cs.Name+"/"+name, func(t *testing.T) {
				s := Scan{Table: cs.Name, Connections: []string{conn}, Columns: cols, Quals: quals, Limit: -1}
				before := len(srv.Calls())
				ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
				defer cancel()
				got, err := plug.Execute(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				calls := srv.Calls()[before:]
				if len(calls) != 1 || !strings.Contains(calls[0].Query, "summarize arg_max(") {
					t.Fatalf("made %d calls, want 1 with summarize arg_max: %v", len(calls), callQueries(calls))
				}
				all := expectWindowed(t, def, Scan{Table: def.SQLName(), Columns: cols, Limit: -1}, calls[0].Timespan)
				want := latestPerKey(all, cs.Keys, schema.SnakeCase(def.TimeColumn))
				var kept []Row
				for _, r := range want {
					ok := true
					for _, q := range quals {
						if h, err := holds(q.sql(), r[q.Column]); err != nil || !h {
							ok = false
						}
					}
					if ok {
						kept = append(kept, r)
					}
				}
				if len(kept) == 0 {
					t.Fatal("the reference has no rows: the test proves nothing")
				}
				if len(kept) >= len(all) {
					t.Fatalf("%d latest rows of %d: the data has no history", len(kept), len(all))
				}
				assertSameRows(t, got, kept)
			})
		}
	}
}

// latestPerKey keeps, for each value of the keys, the row with the
// greatest time (rows with the same keys and time are not expected).
func latestPerKey(rows []Row, keys []string, timeCol string) []Row {
	best := map[string]Row{}
	var order []string
	for _, r := range rows {
		var k strings.Builder
		for _, key := range keys {
			fmt.Fprintf(&k, "%#v|", r[schema.SnakeCase(key)])
		}
		cur, ok := best[k.String()]
		if !ok {
			order = append(order, k.String())
		}
		if t, _ := r[timeCol].(time.Time); !ok || t.After(cur[timeCol].(time.Time)) {
			best[k.String()] = r
		}
	}
	out := make([]Row, 0, len(order))
	for _, k := range order {
		out = append(out, best[k])
	}
	return out
}
