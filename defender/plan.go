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
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// plan is one scan turned into a hunting request: the filters, the
// columns, the order and the limit, in the plain query model.
type plan struct {
	base    kql.Query // table, filters and projection; no order or take
	timeCol string    // the table's time column, or ""
	window  hunting.Slice
	order   hunting.Order
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
// Filters come from QueryContext.UnsafeQuals, restricted to the columns
// and operators the table declares, because d.Quals is rewritten by the
// SDK when it splits an IN list into one List call per value (and it turns
// NOT IN into =). The split copies are recognised and all but the first
// return nothing, so an IN list costs one API call.
func newPlan(t *table, d *plugin.QueryData) (*plan, error) {
	p := &plan{base: kql.Query{Table: t.def.Name}, timeCol: t.def.TimeColumn}
	if isSplitCopy(d) {
		p.none = true
		return p, nil
	}
	for sqlName, qs := range d.QueryContext.UnsafeQuals {
		col := t.columns[sqlName]
		if col == nil {
			continue // tenant_id and the SDK's own columns
		}
		for _, q := range qs.GetQuals() {
			pred, declared, err := predicate(col, q)
			if err != nil {
				return nil, err
			}
			if !declared {
				continue
			}
			if neverTrue(pred) {
				p.none = true
			}
			p.base.Where = append(p.base.Where, pred)
		}
	}
	// Quals arrive from a map: order them as the table's columns, so the
	// same scan always sends the same KQL.
	sort.SliceStable(p.base.Where, func(i, j int) bool {
		return t.position[p.base.Where[i].Column] < t.position[p.base.Where[j].Column]
	})
	p.window = timeWindow(p.base.Where, p.timeCol)
	p.base.Project = t.projection(d.QueryContext.Columns)
	p.order = hunting.Asc
	for _, s := range d.QueryContext.SortOrder {
		if c := t.columns[s.Column]; c != nil && c.Name == p.timeCol && s.Order == plugin.SortDesc {
			p.order = hunting.Desc
		}
	}
	if p.timeCol == "" {
		p.order = hunting.None
	}
	if l := d.QueryContext.GetLimit(); l > 0 {
		p.limit = l
	}
	return p, nil
}

// render is the hunting client's callback: the base query restricted to
// slice s, sorted on the time column so results can be paged, and cut to
// take rows.
func (p *plan) render(s hunting.Slice, take int64) (string, error) {
	q := p.base
	q.Where = append([]kql.Predicate(nil), p.base.Where...)
	if s.Lower != nil {
		op := kql.Gt
		if s.Lower.Inclusive {
			op = kql.Ge
		}
		q.Where = append(q.Where, kql.Predicate{Column: p.timeCol, Type: schema.DateTime, Op: op, Value: s.Lower.Time})
	}
	if s.Upper != nil {
		op := kql.Lt
		if s.Upper.Inclusive {
			op = kql.Le
		}
		q.Where = append(q.Where, kql.Predicate{Column: p.timeCol, Type: schema.DateTime, Op: op, Value: s.Upper.Time})
	}
	switch p.order {
	case hunting.Asc:
		q.OrderBy = []kql.Order{{Column: p.timeCol, Type: schema.DateTime}}
	case hunting.Desc:
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

// predicate converts one SDK qual on col. declared is false for an
// operator the column does not declare (the SDK did not count it as
// handled, so Postgres filters it and no LIMIT was passed).
func predicate(col *schema.Column, q *proto.Qual) (kql.Predicate, bool, error) {
	op, ok := sqlOps[q.GetStringValue()]
	if !ok {
		return kql.Predicate{}, false, nil
	}
	pred := kql.Predicate{Column: col.Name, Type: col.Type, JSON: col.IsJSON(), Op: op}
	if col.Type == schema.DateTime {
		// Postgres compares the microsecond value the FDW stores.
		pred.Unit = time.Microsecond
	}
	if list := q.GetValue().GetListValue(); list != nil {
		switch op {
		case kql.Eq:
			pred.Op = kql.In
		case kql.Ne:
			pred.Op = kql.NotIn
		default:
			return kql.Predicate{}, false, nil
		}
		vals := make([]any, 0, len(list.Values))
		for _, v := range list.Values {
			gv, t, err := goValue(col, v)
			if err != nil {
				return kql.Predicate{}, false, err
			}
			pred.Type = t
			vals = append(vals, gv)
		}
		pred.Value = vals
	} else if op != kql.IsNull && op != kql.IsNotNull {
		v, t, err := goValue(col, q.GetValue())
		if err != nil {
			return kql.Predicate{}, false, err
		}
		pred.Value, pred.Type = v, t
	}
	if !declares(col, pred.Op) {
		return kql.Predicate{}, false, nil
	}
	if err := kql.Exact(pred); err != nil {
		return kql.Predicate{}, false, fmt.Errorf("cannot send the condition on %s to Defender: %w; remove the condition or rewrite it", col.SQLName(), err)
	}
	return pred, true, nil
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
// column: the latest lower bound and the earliest upper bound.
func timeWindow(where []kql.Predicate, timeCol string) hunting.Slice {
	var w hunting.Slice
	lower := func(t time.Time, inc bool) {
		if w.Lower == nil || t.After(w.Lower.Time) || (t.Equal(w.Lower.Time) && !inc) {
			w.Lower = &hunting.Bound{Time: t, Inclusive: inc}
		}
	}
	upper := func(t time.Time, inc bool) {
		if w.Upper == nil || t.Before(w.Upper.Time) || (t.Equal(w.Upper.Time) && !inc) {
			w.Upper = &hunting.Bound{Time: t, Inclusive: inc}
		}
	}
	for _, p := range where {
		if timeCol == "" || p.Column != timeCol {
			continue
		}
		switch v := p.Value.(type) {
		case time.Time:
			switch p.Op {
			case kql.Gt:
				lower(v, false)
			case kql.Ge:
				lower(v, true)
			case kql.Lt:
				upper(v, false)
			case kql.Le:
				upper(v, true)
			case kql.Eq:
				lower(v, true)
				upper(v, true)
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
				lower(lo, true)
				upper(hi, true)
			}
		}
	}
	return w
}
