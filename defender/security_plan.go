package defender

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/odata"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// securityPlan is how a scan's conditions reach Graph: the $filter that
// selects a superset of the matching entities (or the ids to read one by
// one), and the checks that keep exactly the rows Postgres keeps. Graph
// may compare strings without regard to case, and stores times in 100 ns
// ticks where Postgres rounds them to microseconds, so the filter alone
// is not trusted: every condition that can be checked exactly is checked
// again on each entity before it is streamed. The limit then counts only
// rows that match.
//
// Conditions come from QueryContext.UnsafeQuals, as in the hunting
// tables (see newPlan): only the time columns are key columns, and
// d.Quals is rewritten by the SDK when it splits a list.
type securityPlan struct {
	filter string
	checks []securityCheck
	// byID is set when the scan has `id = X` or `id in (…)`: ids are read
	// one by one with GET instead of listing the collection.
	byID bool
	ids  []string
	none bool // a condition can never hold: no call at all
}

// securityCheck is one condition as Postgres evaluates it.
type securityCheck struct {
	col    *securityColumn
	op     string
	values []any // strings or time.Time; none for is null and is not null
}

// newSecurityPlan translates the conditions of a scan of t.
//
// The FDW garbles some shapes (postgres-fdw-values.md): a list loses ANY
// versus ALL, and `x = any(array(select …))` arrives as an empty list,
// which must never be read as "matches nothing". Such conditions are
// neither sent nor checked, and Postgres's recheck applies them; that
// returns a superset, which is only right without a LIMIT, so with a
// LIMIT they are an error that says how to rewrite the query.
func newSecurityPlan(t *securityTable, d *plugin.QueryData) (*securityPlan, error) {
	p := &securityPlan{}
	if isSplitCopy(d) {
		p.none = true
		return p, nil
	}
	limit := d.QueryContext.GetLimit()
	// Quals arrive from a map: order them by name, so the same scan
	// always sends the same $filter.
	names := make([]string, 0, len(d.QueryContext.UnsafeQuals))
	for n := range d.QueryContext.UnsafeQuals {
		names = append(names, n)
	}
	sort.Strings(names)
	var clauses []string
	for _, n := range names {
		col := t.column(n)
		if col == nil {
			continue // tenant_id and the SDK's own columns
		}
		for _, q := range d.QueryContext.UnsafeQuals[n].GetQuals() {
			c := newSecurityCondition(t, col, q)
			if !c.exact && limit > 0 {
				return nil, c.limitError(n)
			}
			if c.never {
				p.none = true
			}
			if c.check != nil {
				p.checks = append(p.checks, *c.check)
			}
			if c.clause != "" {
				clauses = append(clauses, c.clause)
			}
			if c.ids != nil && !p.byID {
				p.byID, p.ids = true, c.ids
			}
		}
	}
	p.filter = odata.And(clauses...)
	return p, nil
}

// securityCondition is one qual as the plan uses it.
type securityCondition struct {
	check  *securityCheck // nil: Postgres alone applies it
	clause string         // its $filter text, or ""
	ids    []string       // the ids an `id =` condition reads
	never  bool           // no row can satisfy it
	// exact is true when check keeps exactly the rows Postgres keeps;
	// otherwise shape and rewrite explain why not.
	exact          bool
	shape, rewrite string
}

// newSecurityCondition converts one qual on col.
func newSecurityCondition(t *securityTable, col *securityColumn, q *proto.Qual) securityCondition {
	name := col.sqlName()
	op := q.GetStringValue()
	isID := name == "id"
	if col.filter == notFiltered && !isID {
		return securityCondition{shape: "a condition on " + name + ", which Graph cannot filter", rewrite: "remove the LIMIT"}
	}
	switch op {
	case quals.QualOperatorIsNull, quals.QualOperatorIsNotNull:
		return securityCondition{check: &securityCheck{col: col, op: op}, exact: true}
	case quals.QualOperatorEqual, quals.QualOperatorNotEqual,
		quals.QualOperatorLess, quals.QualOperatorLessOrEqual, quals.QualOperatorGreater, quals.QualOperatorGreaterOrEqual:
	default:
		return securityCondition{shape: "the operator " + op, rewrite: "remove the LIMIT, or compare with =, <>, <, <=, > or >="}
	}
	if q.GetValue() == nil || q.GetValue().GetValue() == nil {
		// A comparison with NULL is never true.
		return securityCondition{never: true, exact: true}
	}
	list := q.GetValue().GetListValue()
	var values []any
	if list == nil {
		values = []any{grpc.GetQualValue(q.GetValue())}
	} else {
		if len(list.Values) == 0 {
			return securityCondition{
				shape:   "an empty list, which is how `= any(array(select …))` arrives",
				rewrite: "write `" + name + " in (select …)` instead",
			}
		}
		if op != quals.QualOperatorEqual && op != quals.QualOperatorNotEqual {
			return securityCondition{
				shape:   "a list with `" + op + "`, where ANY and ALL arrive alike",
				rewrite: "compare with least(…) or greatest(…) of the values",
			}
		}
		if op == quals.QualOperatorNotEqual && len(list.Values) != 1 {
			// NOT IN and `<> any(…)` arrive alike; with one value they
			// agree, with more only Postgres knows which was meant.
			return securityCondition{
				shape:   "a `<>` list, where NOT IN and `<> any(…)` arrive alike",
				rewrite: "write `" + name + " <> 'a' and " + name + " <> 'b'`",
			}
		}
		for _, v := range list.Values {
			if v.GetValue() != nil {
				values = append(values, grpc.GetQualValue(v))
			}
		}
		if len(values) == 0 {
			// IN (NULL, …) with only NULLs is never true.
			return securityCondition{never: true, exact: true}
		}
		if op == quals.QualOperatorNotEqual && len(values) != len(list.Values) {
			// x <> NULL is never true.
			return securityCondition{never: true, exact: true}
		}
	}
	// The values must have the column's type; otherwise Postgres alone
	// compares them.
	for _, v := range values {
		_, isTime := v.(time.Time)
		_, isString := v.(string)
		if col.typ == timeCol && !isTime || col.typ != timeCol && !isString {
			return securityCondition{shape: fmt.Sprintf("a comparison with %v", v), rewrite: "compare with a value of the column's type"}
		}
	}
	if col.typ != timeCol && op != quals.QualOperatorEqual && op != quals.QualOperatorNotEqual {
		// Postgres orders text by its collation: left to it.
		return securityCondition{shape: "`" + op + "` on a text column", rewrite: "remove the LIMIT"}
	}
	c := securityCondition{check: &securityCheck{col: col, op: op, values: values}, exact: true}
	if isID {
		if op == quals.QualOperatorEqual && t.getByID {
			for _, v := range values {
				c.ids = append(c.ids, v.(string))
			}
		}
		return c
	}
	if clause, ok := securityClause(col, op, values); ok {
		c.clause = clause
	}
	return c
}

// limitError reports an inexact condition in a scan that has a LIMIT:
// Postgres would drop some of the rows the limit counted.
func (c securityCondition) limitError(sqlName string) error {
	return fmt.Errorf("the condition on %s cannot be sent to Microsoft Graph exactly with a LIMIT: it arrived as %s; %s", sqlName, c.shape, c.rewrite)
}

// securityClause writes one condition as $filter text. It reports false
// when the condition has no exact translation (a value the encoder
// refuses, an enumeration value Graph does not know, an operator $filter
// is not sent); the condition is then only checked here.
func securityClause(col *securityColumn, op string, values []any) (string, bool) {
	switch col.filter {
	case textFilter, enumFilter:
		if op != quals.QualOperatorEqual {
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

// holds reports whether the entity satisfies every check, as Postgres
// would evaluate it on the row.
func (p *securityPlan) holds(it graphsec.Item) bool {
	for _, c := range p.checks {
		if !c.holds(it) {
			return false
		}
	}
	return true
}

func (c *securityCheck) holds(it graphsec.Item) bool {
	v := convert(it[c.col.field], c.col.typ)
	switch c.op {
	case quals.QualOperatorIsNull:
		return v == nil
	case quals.QualOperatorIsNotNull:
		return v != nil
	}
	if v == nil {
		return false
	}
	if ts, ok := v.(time.Time); ok {
		v = pgtime.Stored(ts)
	}
	// cmp compares the row's value with w; ok is false for values of
	// another type, which newSecurityCondition never lets through.
	cmp := func(w any) (int, bool) {
		switch x := v.(type) {
		case string:
			s, ok := w.(string)
			if !ok {
				return 0, false
			}
			switch {
			case x < s:
				return -1, true
			case x > s:
				return 1, true
			}
			return 0, true
		case time.Time:
			t, ok := w.(time.Time)
			if !ok {
				return 0, false
			}
			return x.Compare(t), true
		}
		return 0, false
	}
	switch c.op {
	case quals.QualOperatorEqual: // one value, or IN
		for _, w := range c.values {
			if r, ok := cmp(w); ok && r == 0 {
				return true
			}
		}
		return false
	case quals.QualOperatorNotEqual: // one value
		for _, w := range c.values {
			if r, ok := cmp(w); !ok || r == 0 {
				return false
			}
		}
		return true
	}
	if len(c.values) != 1 {
		return false
	}
	r, ok := cmp(c.values[0])
	if !ok {
		return false
	}
	switch c.op {
	case quals.QualOperatorLess:
		return r < 0
	case quals.QualOperatorLessOrEqual:
		return r <= 0
	case quals.QualOperatorGreater:
		return r > 0
	case quals.QualOperatorGreaterOrEqual:
		return r >= 0
	}
	return false
}
