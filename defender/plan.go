package defender

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	protobuf "google.golang.org/protobuf/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// plan is one scan turned into a hunting request: the filters, the
// columns, the order and the limit, in the plain query model.
type plan struct {
	base    kql.Query // table, filters and projection; no order or take
	timeCol string    // the table's time column, or ""
	window  hunting.Slice
	order   hunting.Order
	// sort is set when the pushed ORDER BY has a key other than the time
	// column: every key, for Defender to sort by in one call.
	sort []kql.Order
	// reorder is set when the rows Defender sorts by ticks must be put in
	// Postgres order locally: the pushed ORDER BY has a key after the time
	// column (see sortOrder).
	reorder []kql.Order
	limit   int64 // rows wanted, or 0 for all
	// none is set when a condition can never hold (a comparison with NULL,
	// or a copy of the scan that the SDK made for one IN-list value): the
	// scan returns no rows without calling Defender.
	none bool
}

// sqlOps maps SDK operator strings to model operators. A list value turns
// = into IN and <> into NOT IN.
var sqlOps = map[string]kql.Op{
	quals.QualOperatorEqual:          kql.Eq,
	quals.QualOperatorNotEqual:       kql.Ne,
	quals.QualOperatorLess:           kql.Lt,
	quals.QualOperatorLessOrEqual:    kql.Le,
	quals.QualOperatorGreater:        kql.Gt,
	quals.QualOperatorGreaterOrEqual: kql.Ge,
	quals.QualOperatorLike:           kql.Like,
	quals.QualOperatorNotLike:        kql.NotLike,
	quals.QualOperatorILike:          kql.ILike,
	quals.QualOperatorNotILike:       kql.NotILike,
	quals.QualOperatorIsNull:         kql.IsNull,
	quals.QualOperatorIsNotNull:      kql.IsNotNull,
}

// newPlan builds the plan for a scan of table t.
//
// Filters come from QueryContext.UnsafeQuals, which holds every condition
// the FDW could convert, on any column: only the time column is a key
// column (see pluginTable), but the other conditions still narrow the KQL.
// d.Quals is not used, because the SDK rewrites it when it splits an IN
// list into one List call per value (and it turns NOT IN into =). The
// split copies are recognised and all but the first return nothing, so
// an IN list costs one API call.
//
// Some quals do not say exactly what the SQL meant (see condition). Those
// are sent as a superset of every reading, which Postgres's recheck then
// narrows; that is only right when no LIMIT was passed, so with a LIMIT
// such a qual is an error that says how to rewrite it.
func newPlan(t *table, d *plugin.QueryData) (*plan, error) {
	p := &plan{base: kql.Query{Table: t.def.Name}, timeCol: t.def.TimeColumn}
	if isSplitCopy(d) {
		p.none = true
		return p, nil
	}
	if l := d.QueryContext.GetLimit(); l > 0 {
		p.limit = l
	}
	for sqlName, qs := range d.QueryContext.UnsafeQuals {
		col := t.columns[sqlName]
		if col == nil {
			continue // tenant_id and the SDK's own columns
		}
		for _, q := range qs.GetQuals() {
			c, err := newCondition(col, q)
			if err != nil {
				return nil, err
			}
			if !c.exact && p.limit > 0 {
				return nil, c.limitError(sqlName)
			}
			if !c.sent {
				continue
			}
			if neverTrue(c.pred) {
				p.none = true
			}
			p.base.Where = append(p.base.Where, c.pred)
		}
	}
	// Quals arrive from a map: order them as the table's columns, so the
	// same scan always sends the same KQL.
	sort.SliceStable(p.base.Where, func(i, j int) bool {
		return t.position[p.base.Where[i].Column] < t.position[p.base.Where[j].Column]
	})
	p.window = timeWindow(p.base.Where, p.timeCol)
	if t.current != nil {
		p.latest(t.current)
	}
	p.base.Project = t.projection(d.QueryContext.Columns)
	if err := p.sortOrder(t, d.QueryContext.SortOrder); err != nil {
		return nil, err
	}
	return p, nil
}

// sortOrder takes the ORDER BY the FDW pushed. The FDW pushes one only
// when every key is a column declared sortable (see sortable), and then
// trusts the plugin to return rows in that order.
//
//   - The time column alone: the hunting client pages in that order.
//   - The time column first, then other keys: the same paging on the time
//     column, and the rows of each run of equal stored times are put in
//     order locally (reorder).
//   - Any other first key: Defender sorts by every key, and the rows must
//     come from one call (hunting.Request.OneCall). If the time column
//     comes before another key there, the whole result is fetched (no
//     take) and reordered locally, because a take could cut a run of
//     equal stored times in the wrong place.
//
// Local reordering is needed because Defender sorts datetimes by their
// 100 ns ticks, while Postgres compares them rounded to microseconds: two
// rows in the same microsecond are equal in Postgres, and their order is
// the next key's.
func (p *plan) sortOrder(t *table, keys []*plugin.SortColumn) error {
	p.order = hunting.Asc
	if p.timeCol == "" {
		p.order = hunting.None
	}
	var orders []kql.Order
	timeBeforeKey := false
	for i, s := range keys {
		c := t.columns[s.Column]
		if c == nil || !sortable(c, p.timeCol) {
			return fmt.Errorf("cannot sort by %s: only the time column and number and boolean columns can be sorted by Defender", s.Column)
		}
		desc := s.Order == plugin.SortDesc
		if c.Type == schema.DateTime && i < len(keys)-1 {
			timeBeforeKey = true
		}
		orders = append(orders, kql.Order{Column: c.Name, Desc: desc, Type: c.Type, JSON: c.IsJSON()})
	}
	if len(orders) == 0 {
		return nil
	}
	if orders[0].Column == p.timeCol && orders[0].Desc {
		p.order = hunting.Desc
	}
	if timeBeforeKey {
		p.reorder = orders
	}
	if orders[0].Column != p.timeCol {
		p.sort = orders
	}
	return nil
}

// sortable reports whether the plugin declares column c sortable: the
// time column, and the number and boolean columns, which Defender sorts
// exactly as Postgres does (kql.Sortable, with NULLs and NaN placed as
// Postgres places them). Text is left out: Kusto's string order is
// undocumented and need not be the C collation of Steampipe's database.
// Other datetime columns are left out too: only the time column is paged
// on, and their ticks would need the local reordering described at
// sortOrder for every key after them.
func sortable(c *schema.Column, timeCol string) bool {
	if c.Type == schema.DateTime {
		return c.Name == timeCol
	}
	return kql.Sortable(c.Type, c.IsJSON())
}

// take is the hunting client's row limit: the SQL LIMIT, unless rows are
// reordered locally, which needs every row of the run the LIMIT ends in.
// Then the client reads on (paging on the time column, or the whole one
// call) and the scan stops once the SDK has the rows it wants.
func (p *plan) take() int64 {
	if p.reorder != nil {
		return 0
	}
	return p.limit
}

// oneCallHint is the hint of the error a scan sorted by more than the time
// column gets when its rows do not fit in one call.
func (p *plan) oneCallHint() string {
	return fmt.Sprintf("The query is ordered by a column other than %s, and Defender can sort by it only within one call, "+
		"which returns at most %d rows and 50 MiB. Add a LIMIT of at most %d, narrow the time window or add conditions; "+
		"or order by an expression such as (column + 0) or (column::int), which Postgres sorts itself",
		schema.SnakeCase(p.timeCol), hunting.DefaultRowCap, hunting.DefaultRowCap)
}

// latest turns the plan of a current-state table into the latest row per
// key: conditions on the time column choose the window the latest row is
// taken from, and every other condition applies to the latest rows, so
// `os_platform = 'Windows11'` means "whose latest state is Windows 11".
func (p *plan) latest(cs *schema.Current) {
	l := &kql.Latest{Time: p.timeCol, By: cs.Keys}
	var before []kql.Predicate
	for _, w := range p.base.Where {
		if w.Column == p.timeCol {
			before = append(before, w)
		} else {
			l.Where = append(l.Where, w)
		}
	}
	p.base.Where, p.base.Latest = before, l
}

// render is the hunting client's callback: the base query restricted to
// slice s, sorted on the time column so results can be paged, and cut to
// take rows. For a current-state table, s pages the latest rows: its
// bounds apply after the summarize.
func (p *plan) render(s hunting.Slice, take int64) (string, error) {
	q := p.base
	where := &q.Where
	if p.base.Latest != nil {
		l := *p.base.Latest
		q.Latest = &l
		where = &l.Where
	}
	*where = append([]kql.Predicate(nil), *where...)
	if s.Lower != nil {
		op := kql.Gt
		if s.Lower.Inclusive {
			op = kql.Ge
		}
		*where = append(*where, kql.Predicate{Column: p.timeCol, Type: schema.DateTime, Op: op, Value: s.Lower.Time})
	}
	if s.Upper != nil {
		op := kql.Lt
		if s.Upper.Inclusive {
			op = kql.Le
		}
		*where = append(*where, kql.Predicate{Column: p.timeCol, Type: schema.DateTime, Op: op, Value: s.Upper.Time})
	}
	switch {
	case p.sort != nil:
		q.OrderBy = p.sort
	case p.order == hunting.Asc:
		q.OrderBy = []kql.Order{{Column: p.timeCol, Type: schema.DateTime}}
	case p.order == hunting.Desc:
		q.OrderBy = []kql.Order{{Column: p.timeCol, Type: schema.DateTime, Desc: true}}
	}
	q.Take = take
	return q.Render()
}

// isSplitCopy reports whether d is one of the copies the SDK makes when it
// splits an IN list into one List call per value, other than the copy for
// the first value. That copy runs the whole list as one query.
func isSplitCopy(d *plugin.QueryData) bool {
	for col, kq := range d.Quals {
		if len(kq.Quals) != 1 || kq.Quals[0].Operator != quals.QualOperatorEqual || kq.Quals[0].Value.GetListValue() != nil {
			continue
		}
		for _, q := range d.QueryContext.UnsafeQuals[col].GetQuals() {
			list := q.GetValue().GetListValue()
			if list == nil || len(list.Values) == 0 {
				continue
			}
			if !protobuf.Equal(kq.Quals[0].Value, list.Values[0]) {
				return true
			}
		}
	}
	return false
}

// condition is one qual as the plan sends it.
type condition struct {
	pred kql.Predicate
	// sent is false for a qual that KQL cannot express: Postgres alone
	// applies it.
	sent bool
	// exact is true when the predicate keeps exactly the rows Postgres
	// keeps; otherwise it keeps more, or is not sent.
	exact bool
	// shape and rewrite explain an inexact qual: what SQL it may stand
	// for, and how to write the query so that it is exact.
	shape, rewrite string
}

// newCondition converts one SDK qual on col.
//
// The FDW garbles some shapes (postgres-fdw-values.md): a list loses ANY
// versus ALL, an array parameter arrives as an empty list, and `x is not
// true` arrives as `x <> true`. Those, and operators KQL cannot express,
// become a superset of every reading, or are not sent.
func newCondition(col *schema.Column, q *proto.Qual) (condition, error) {
	opName := q.GetStringValue()
	op, ok := sqlOps[opName]
	if !ok {
		return condition{shape: "the operator " + opName, rewrite: "remove the LIMIT, or compare with =, <>, <, >, LIKE or ILIKE"}, nil
	}
	c := condition{pred: kql.Predicate{Column: col.Name, Type: col.Type, JSON: col.IsJSON(), Op: op}, sent: true, exact: true}
	if col.Type == schema.DateTime {
		// Postgres compares the microsecond value it stores.
		c.pred.Stored = true
	}
	if list := q.GetValue().GetListValue(); list != nil {
		if err := c.list(col, op, list); err != nil {
			return condition{}, err
		}
	} else if op != kql.IsNull && op != kql.IsNotNull {
		v, t, err := goValue(col, q.GetValue())
		if err != nil {
			return condition{}, err
		}
		c.pred.Value, c.pred.Type = v, t
		if col.Type == schema.Bool && op == kql.Ne {
			// `x is not true` keeps NULL rows; `x <> true` does not. Both
			// arrive as <> true, so send IS DISTINCT FROM, which keeps them.
			c.pred.Op, c.exact = kql.Distinct, false
			c.shape, c.rewrite = "`<> true`, which is how `is not true` and `is false` arrive", "write `"+col.SQLName()+" = false` (or `"+col.SQLName()+" is null`)"
		}
	}
	if c.sent && kql.Exact(c.pred) != nil {
		// KQL has no exact form for this operator on this type.
		c.sent, c.exact = false, false
		c.shape, c.rewrite = "`"+opName+"` on a "+sqlTypeName(col)+" column", "remove the LIMIT"
	}
	return c, nil
}

// list fills c for a qual whose value is a list.
func (c *condition) list(col *schema.Column, op kql.Op, list *proto.QualValueList) error {
	name := col.SQLName()
	if len(list.Values) == 0 {
		// `x = any(array(select …))` arrives as an empty list: it is not
		// "matches nothing".
		c.sent, c.exact = false, false
		c.shape, c.rewrite = "an empty list, which is how `= any(array(select …))` arrives", "write `"+name+" in (select …)` instead"
		return nil
	}
	switch op {
	case kql.Eq:
		// = ANY is IN; = ALL of two or more distinct values (the FDW
		// removes duplicates) matches nothing, and Postgres's recheck
		// drops every row IN returns, so IN serves both.
		c.pred.Op = kql.In
	case kql.Ne:
		// <> ALL is NOT IN; <> ANY arrives the same way and is read as
		// NOT IN (documented).
		c.pred.Op = kql.NotIn
	case kql.Like, kql.ILike:
		// LIKE ALL keeps a subset of LIKE ANY's rows: send ANY.
		c.pred.Op, c.exact = kql.LikeAny, false
		if op == kql.ILike {
			c.pred.Op = kql.ILikeAny
		}
		c.shape, c.rewrite = "a list of LIKE patterns, where ANY and ALL arrive alike", "write the patterns as `"+name+" like 'a' or "+name+" like 'b'`"
	default:
		c.sent, c.exact = false, false
		c.shape, c.rewrite = "a list with `"+op.String()+"`, where ANY and ALL arrive alike", "compare with least(…) or greatest(…) of the values"
		return nil
	}
	vals := make([]any, 0, len(list.Values))
	for _, v := range list.Values {
		gv, t, err := goValue(col, v)
		if err != nil {
			return err
		}
		if c.pred.Op == kql.In || c.pred.Op == kql.NotIn {
			c.pred.Type = t
		}
		vals = append(vals, gv)
	}
	c.pred.Value = vals
	return nil
}

// limitError reports an inexact condition in a scan that has a LIMIT:
// sending a superset under a LIMIT would return too few rows.
func (c condition) limitError(sqlName string) error {
	return fmt.Errorf("the condition on %s cannot be sent to Defender exactly with a LIMIT: it arrived as %s; %s", sqlName, c.shape, c.rewrite)
}

// goValue converts a qual value to the Go type the model expects for col.
// A missing value is SQL NULL (nil). The returned type is the type to
// compare as: a fractional number compared with an integer column is
// compared as real, which KQL does exactly.
func goValue(col *schema.Column, v *proto.QualValue) (any, schema.Type, error) {
	t := col.Type
	if v == nil || v.GetValue() == nil {
		return nil, t, nil
	}
	bad := func() (any, schema.Type, error) {
		return nil, t, fmt.Errorf("column %s (%s) cannot be compared with %v; use a %s value", col.SQLName(), t, v.GetValue(), sqlTypeName(col))
	}
	switch x := v.GetValue().(type) {
	case *proto.QualValue_StringValue:
		if t == schema.String || t == schema.GUID {
			return x.StringValue, t, nil
		}
	case *proto.QualValue_Int64Value:
		switch t {
		case schema.Long, schema.Int:
			return x.Int64Value, t, nil
		case schema.Real:
			return float64(x.Int64Value), t, nil
		}
	case *proto.QualValue_DoubleValue:
		f := x.DoubleValue
		switch t {
		case schema.Real:
			return f, t, nil
		case schema.Long, schema.Int:
			if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
				return int64(f), t, nil
			}
			return f, schema.Real, nil
		}
	case *proto.QualValue_BoolValue:
		if t == schema.Bool {
			return x.BoolValue, t, nil
		}
	case *proto.QualValue_TimestampValue:
		if t == schema.DateTime {
			return x.TimestampValue.AsTime().UTC(), t, nil
		}
	}
	return bad()
}

// neverTrue reports a comparison with SQL NULL, which no row satisfies.
func neverTrue(p kql.Predicate) bool {
	return p.Value == nil && p.Op != kql.IsNull && p.Op != kql.IsNotNull
}

// timeWindow derives the outer time window from the filters on the time
// column: the latest lower bound and the earliest upper bound, on the
// column's exact ticks. Filters compare the microsecond Postgres stores, so
// a bound v becomes pgtime.Lowest(v), the first tick stored as v or later.
func timeWindow(where []kql.Predicate, timeCol string) hunting.Slice {
	var w hunting.Slice
	lower := func(t time.Time) {
		if w.Lower == nil || t.After(w.Lower.Time) {
			w.Lower = &hunting.Bound{Time: t, Inclusive: true}
		}
	}
	upper := func(t time.Time) { // exclusive
		if w.Upper == nil || !t.After(w.Upper.Time) {
			w.Upper = &hunting.Bound{Time: t}
		}
	}
	for _, p := range where {
		if timeCol == "" || p.Column != timeCol {
			continue
		}
		switch v := p.Value.(type) {
		case time.Time:
			at, after := pgtime.Lowest(v), pgtime.Lowest(nextMicro(v))
			switch p.Op {
			case kql.Gt:
				lower(after)
			case kql.Ge:
				lower(at)
			case kql.Lt:
				upper(at)
			case kql.Le:
				upper(after)
			case kql.Eq:
				lower(at)
				upper(after)
			}
		case []any:
			if p.Op != kql.In {
				continue
			}
			var lo, hi time.Time
			seen := false
			for _, e := range v {
				t, ok := e.(time.Time)
				if !ok {
					continue
				}
				if !seen || t.Before(lo) {
					lo = t
				}
				if !seen || t.After(hi) {
					hi = t
				}
				seen = true
			}
			if seen {
				lower(pgtime.Lowest(lo))
				upper(pgtime.Lowest(nextMicro(hi)))
			}
		}
	}
	return w
}

// nextMicro is the first whole microsecond after t.
func nextMicro(t time.Time) time.Time {
	return t.Truncate(time.Microsecond).Add(time.Microsecond)
}
