package defender

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// reorderer puts rows that Defender sorted by datetime ticks into Postgres
// order, where datetimes compare rounded to microseconds (pgtime.Stored).
// Rows arrive sorted by the keys with exact ticks, so rows that Postgres
// orders differently only ever share every key up to the last datetime key
// that has another key after it: a run. Each run is held until the next
// row shows it is complete, and then sorted by every key as Postgres
// compares them. Runs are as long as the rows that share a microsecond,
// so little is held.
type reorderer struct {
	keys   []kql.Order
	cols   []*schema.Column // the column of each key
	prefix int              // keys that delimit a run
	emit   func(hunting.Row) error

	run     []hunting.Row
	vals    [][]any // the keys of each row in run, decoded
	stopped bool    // emit returned an error: emit nothing more
}

// newReorderer builds a reorderer of the table's rows for keys, passing
// rows on to emit.
func newReorderer(t *table, keys []kql.Order, emit func(hunting.Row) error) *reorderer {
	r := &reorderer{keys: keys, emit: emit}
	for i, k := range keys {
		c := &t.def.Columns[t.position[k.Column]]
		r.cols = append(r.cols, c)
		if c.Type == schema.DateTime && i < len(keys)-1 {
			r.prefix = i + 1
		}
	}
	return r
}

// add takes the next row in Defender's order.
func (r *reorderer) add(row hunting.Row) error {
	if r.stopped {
		return hunting.ErrStop
	}
	vals := make([]any, len(r.keys))
	for i, c := range r.cols {
		v, err := decodeValue(c, row.Value(c.Name))
		if err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
		if t, ok := v.(time.Time); ok {
			v = pgtime.Stored(t)
		}
		vals[i] = v
	}
	if len(r.run) > 0 && r.compare(r.vals[0], vals, r.prefix) != 0 {
		if err := r.flush(); err != nil {
			return err
		}
	}
	r.run = append(r.run, row)
	r.vals = append(r.vals, vals)
	return nil
}

// flush sorts the held run and emits it.
func (r *reorderer) flush() error {
	if r.stopped {
		return hunting.ErrStop
	}
	idx := make([]int, len(r.run))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return r.compare(r.vals[a], r.vals[b], len(r.keys)) })
	for _, i := range idx {
		if err := r.emit(r.run[i]); err != nil {
			r.stopped = true
			return err
		}
	}
	clear(r.run)
	r.run, r.vals = r.run[:0], r.vals[:0]
	return nil
}

// compare orders two rows' decoded keys by the first n keys as Postgres
// does: NULLs after every value ascending (before them descending), NaN
// after every number.
func (r *reorderer) compare(a, b []any, n int) int {
	for i := range n {
		c := compareValues(a[i], b[i])
		if r.keys[i].Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// compareValues compares two decoded values of one sortable column, NULL
// (nil) being the greatest, and NaN greater than every number.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	switch x := a.(type) {
	case int64:
		return cmp.Compare(x, b.(int64))
	case float64:
		y := b.(float64)
		switch xn, yn := math.IsNaN(x), math.IsNaN(y); {
		case xn || yn:
			return boolOrder(xn, yn)
		}
		return cmp.Compare(x, y)
	case bool:
		return boolOrder(x, b.(bool))
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	panic(fmt.Sprintf("defender: no order for %T", a))
}

// boolOrder orders false before true.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
