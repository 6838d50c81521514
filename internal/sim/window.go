package sim

import (
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// windowCatalog restricts every table with a time column to the rows
// whose time lies inside the query's window, before the query sees them.
// Tables without a time column (inventories, knowledge bases, the exposure
// graph) are current-state data and pass through unchanged.
type windowCatalog struct {
	base engine.Catalog
	span window
}

// Table implements engine.Catalog.
func (c windowCatalog) Table(name string) (*engine.Table, bool) {
	t, ok := c.base.Table(name)
	if !ok {
		return nil, false
	}
	st := schema.Lookup(name)
	if st == nil || st.TimeColumn == "" {
		return t, true
	}
	idx := -1
	for i, col := range t.Columns {
		if col.Name == st.TimeColumn {
			idx = i
			break
		}
	}
	if idx < 0 {
		return t, true
	}
	scan, from, to := t.Scan, c.span.from, c.span.to
	return &engine.Table{
		Name:    t.Name,
		Columns: t.Columns,
		Scan: func(yield func([]engine.Value) bool) {
			scan(func(row []engine.Value) bool {
				ts, ok := row[idx].(time.Time)
				if !ok || ts.Before(from) || ts.After(to) {
					return true
				}
				return yield(row)
			})
		},
	}, true
}
