package defender

import (
	"slices"
	"sort"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/odata"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// securityPlan is how a scan's key column conditions reach Graph: the
// $filter that selects a superset of the matching entities, and the
// checks that keep exactly the rows Postgres keeps. Graph may compare
// strings without regard to case, and stores times in 100 ns ticks where
// Postgres rounds them to microseconds, so the filter alone is not
// trusted: every condition is checked again on each entity before it is
// streamed. The limit then counts only rows that match, which is what
// lets the table declare these operators to the FDW.
type securityPlan struct {
	filter string
	checks []securityCheck
	none   bool // a condition can never hold: no call at all
}

// securityCheck is one condition as Postgres evaluates it.
type securityCheck struct {
	col    *securityColumn
	op     string
	values []any // strings for =, one time.Time for the range operators
}

// newSecurityPlan translates the key column quals of a scan.
func newSecurityPlan(t *securityTable, quals plugin.KeyColumnQualMap) *securityPlan {
	p := &securityPlan{}
	names := make([]string, 0, len(quals))
	for n := range quals {
		names = append(names, n)
	}
	sort.Strings(names)
	var clauses []string
	for _, n := range names {
		col := t.column(n)
		if col == nil || col.filter == notFiltered {
			continue
		}
		for _, q := range quals[n].Quals {
			var values []any
			switch v := grpc.GetQualValue(q.Value).(type) {
			case []any:
				for _, e := range v {
					if e != nil {
						values = append(values, e)
					}
				}
			case nil:
			default:
				values = []any{v}
			}
			if q.Value == nil || len(values) == 0 {
				p.none = true // a comparison with NULL is never true
				return p
			}
			p.checks = append(p.checks, securityCheck{col: col, op: q.Operator, values: values})
			if clause, ok := securityClause(col, q.Operator, values); ok {
				clauses = append(clauses, clause)
			}
		}
	}
	p.filter = odata.And(clauses...)
	return p
}

// securityClause writes one condition as $filter text. It reports false
// when the condition has no exact translation (a value the encoder
// refuses, an enumeration value Graph does not know, a list on a range
// operator); the condition is then only checked here.
func securityClause(col *securityColumn, op string, values []any) (string, bool) {
	switch col.filter {
	case textFilter, enumFilter:
		if op != "=" {
			return "", false
		}
		var alts []string
		for _, v := range values {
			s, ok := v.(string)
			if !ok {
				return "", false
			}
			var lit string
			var err error
			if col.filter == enumFilter {
				if !slices.Contains(col.members, s) {
					return "", false
				}
				lit, err = odata.Enum(s)
			} else {
				lit, err = odata.String(s)
			}
			if err != nil {
				return "", false
			}
			alts = append(alts, odata.Compare(col.field, odata.Eq, lit))
		}
		return odata.Or(alts...), true
	case timeFilter:
		v, ok := values[0].(time.Time)
		if len(values) != 1 || !ok {
			return "", false
		}
		// Postgres compares the microsecond it stores for a Graph time:
		// pgtime.Lowest turns each bound on that into a bound on Graph's
		// own 100 ns value.
		var gop odata.Op
		var bound time.Time
		switch op {
		case ">=":
			gop, bound = odata.Ge, pgtime.Lowest(v)
		case ">":
			gop, bound = odata.Ge, pgtime.Lowest(after(v))
		case "<":
			gop, bound = odata.Lt, pgtime.Lowest(v)
		case "<=":
			gop, bound = odata.Lt, pgtime.Lowest(after(v))
		default:
			return "", false
		}
		lit, err := odata.DateTimeOffset(bound)
		if err != nil {
			return "", false
		}
		return odata.Compare(col.field, gop, lit), true
	}
	return "", false
}

// after is the first microsecond a stored time must reach to be later
// than v.
func after(v time.Time) time.Time {
	if f := v.Truncate(time.Microsecond); !f.Equal(v) {
		return f.Add(time.Microsecond)
	}
	return v.Add(time.Microsecond)
}

// holds reports whether the entity satisfies every condition, as
// Postgres would evaluate it on the row.
func (p *securityPlan) holds(it graphsec.Item) bool {
	for _, c := range p.checks {
		v := convert(it[c.col.field], c.col.typ)
		if v == nil {
			return false
		}
		switch x := v.(type) {
		case string:
			if c.op != "=" || !slices.Contains(c.values, any(x)) {
				return false
			}
		case time.Time:
			s := pgtime.Stored(x)
			w, ok := c.values[0].(time.Time)
			if !ok || len(c.values) != 1 {
				return false
			}
			cmp := s.Compare(w)
			if !(c.op == "<" && cmp < 0 || c.op == "<=" && cmp <= 0 || c.op == ">" && cmp > 0 || c.op == ">=" && cmp >= 0) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
