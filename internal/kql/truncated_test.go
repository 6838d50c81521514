package kql_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// TestTruncatedDatetime checks datetime predicates with Unit set against
// the Postgres answer on the microsecond value the FDW stores: rows whose
// times carry sub-microsecond ticks must compare as their truncation.
func TestTruncatedDatetime(t *testing.T) {
	base := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	times := []engine.Value{
		base,
		base.Add(100 * time.Nanosecond),
		base.Add(900 * time.Nanosecond),
		base.Add(time.Microsecond),
		base.Add(time.Microsecond + 500*time.Nanosecond),
		base.Add(-100 * time.Nanosecond),
		nil,
	}
	var rows [][]engine.Value
	for i, v := range times {
		rows = append(rows, []engine.Value{int64(i), v})
	}
	cat := catalog{"T": memTable("T", []engine.Column{{Name: "K", Type: engine.TLong}, {Name: "C", Type: engine.TDateTime}}, rows)}

	values := []time.Time{base, base.Add(time.Microsecond), base.Add(-time.Microsecond), base.Add(500 * time.Nanosecond)}
	for _, op := range []kql.Op{kql.Eq, kql.Ne, kql.Lt, kql.Le, kql.Gt, kql.Ge, kql.In, kql.NotIn} {
		for _, v := range values {
			var val any = v
			if op == kql.In || op == kql.NotIn {
				val = []any{v, base.Add(2 * time.Microsecond)}
			}
			p := kql.Predicate{Column: "C", Type: schema.DateTime, Op: op, Value: val, Unit: time.Microsecond}
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
				want := truncHolds(op, tv, val)
				if got[int64(i)] != want {
					t.Errorf("%s: row %d (%v): got %v, want %v", src, i, tv, got[int64(i)], want)
				}
			}
		}
	}
}

// truncHolds is Postgres's answer on the value cut to microseconds.
func truncHolds(op kql.Op, v engine.Value, val any) bool {
	if v == nil {
		return false
	}
	c := v.(time.Time).Truncate(time.Microsecond)
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
