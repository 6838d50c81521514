package kql_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// TestStoredDatetime checks datetime predicates with Stored set against
// the Postgres answer on the microsecond value Postgres stores: rows whose
// times carry sub-microsecond ticks must compare as their rounded value,
// including exact halves and a carry into the next second.
func TestStoredDatetime(t *testing.T) {
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	var times []engine.Value
	for _, us := range []time.Duration{-1, 0, 1, 2, 123456, 999999} {
		for tick := time.Duration(0); tick < 10; tick++ {
			times = append(times, base.Add(us*time.Microsecond+tick*pgtime.Tick))
		}
	}
	times = append(times, nil)
	var rows [][]engine.Value
	for i, v := range times {
		rows = append(rows, []engine.Value{int64(i), v})
	}
	cat := catalog{"T": memTable("T", []engine.Column{{Name: "K", Type: engine.TLong}, {Name: "C", Type: engine.TDateTime}}, rows)}

	values := []time.Time{base, base.Add(time.Microsecond), base.Add(-time.Microsecond), base.Add(500 * time.Nanosecond),
		base.Add(123457 * time.Microsecond), base.Add(time.Second), base.Add(999999 * time.Microsecond)}
	for _, op := range []kql.Op{kql.Eq, kql.Ne, kql.Lt, kql.Le, kql.Gt, kql.Ge, kql.In, kql.NotIn} {
		for _, v := range values {
			var val any = v
			if op == kql.In || op == kql.NotIn {
				val = []any{v, base.Add(2 * time.Microsecond)}
			}
			p := kql.Predicate{Column: "C", Type: schema.DateTime, Op: op, Value: val, Stored: true}
			q := kql.Query{Table: "T", Where: []kql.Predicate{p}, Project: []string{"K"}}
			src, err := q.Render()
			if err != nil {
				t.Fatalf("%v %v: %v", op, v, err)
			}
			got := map[int64]bool{}
			for _, r := range run(t, src, cat).Rows {
				got[r[0].(int64)] = true
			}
			for i, tv := range times {
				want := storedHolds(op, tv, val)
				if got[int64(i)] != want {
					t.Errorf("%s: row %d (%v): got %v, want %v", src, i, tv, got[int64(i)], want)
				}
			}
		}
	}
}

// storedHolds is Postgres's answer on the value it stores.
func storedHolds(op kql.Op, v engine.Value, val any) bool {
	if v == nil {
		return false
	}
	c := pgtime.Stored(v.(time.Time))
	if list, ok := val.([]any); ok {
		for _, e := range list {
			if c.Equal(e.(time.Time)) {
				return op == kql.In
			}
		}
		return op == kql.NotIn
	}
	x := val.(time.Time)
	switch op {
	case kql.Eq:
		return c.Equal(x)
	case kql.Ne:
		return !c.Equal(x)
	case kql.Lt:
		return c.Before(x)
	case kql.Le:
		return !c.After(x)
	case kql.Gt:
		return c.After(x)
	case kql.Ge:
		return !c.Before(x)
	}
	panic(fmt.Sprint("unexpected op ", op))
}
