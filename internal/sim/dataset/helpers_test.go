package dataset

import (
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// rec is one scanned row keyed by column name.
type rec map[string]engine.Value

// scan copies every row of a table, since Scan reuses its row slice.
func scan(t testing.TB, d *Dataset, name string) []rec {
	t.Helper()
	tab, ok := d.Table(name)
	if !ok {
		t.Fatalf("no table %s", name)
	}
	var out []rec
	tab.Scan(func(row []engine.Value) bool {
		r := rec{}
		for k, v := range row {
			r[tab.Columns[k].Name] = v
		}
		out = append(out, r)
		return true
	})
	return out
}

// set collects the non-empty string values of a column.
func set(rows []rec, col string) map[string]bool {
	out := map[string]bool{}
	for _, r := range rows {
		if s, _ := r[col].(string); s != "" {
			out[s] = true
		}
	}
	return out
}

func str0(v engine.Value) string { s, _ := v.(string); return s }
