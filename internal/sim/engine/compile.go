package engine

import (
	"time"
)

// cexpr is a type-checked expression ready to evaluate against a row.
type cexpr struct {
	t     Type
	f     func(row []Value) Value
	konst bool // the value does not depend on the row
}

// constant wraps a fixed value.
func constant(t Type, v Value) *cexpr {
	return &cexpr{t: t, f: func([]Value) Value { return v }, konst: true}
}

// value returns the value of a constant expression.
func (c *cexpr) value() Value { return c.f(nil) }

// fold turns an expression whose inputs are all constant into a constant.
func fold(t Type, f func([]Value) Value, args ...*cexpr) *cexpr {
	for _, a := range args {
		if !a.konst {
			return &cexpr{t: t, f: f}
		}
	}
	return constant(t, f(nil))
}

// scope is the compile-time environment of one operator.
type scope struct {
	op   string
	cols []Column
	idx  map[string]int
	lets map[string]*cexpr
	now  time.Time
}

func newScope(op string, cols []Column, lets map[string]*cexpr, now time.Time) *scope {
	idx := make(map[string]int, len(cols))
	for i, c := range cols {
		idx[c.Name] = i
	}
	return &scope{op: op, cols: cols, idx: idx, lets: lets, now: now}
}

// compile type-checks e in sc.
func (sc *scope) compile(e expr) (*cexpr, error) {
	switch x := e.(type) {
	case *litExpr:
		return constant(x.t, x.v), nil
	case *nameExpr:
		if i, ok := sc.idx[x.name]; ok {
			if sc.cols[i].Type == TDynamic {
				// A JSON null may be stored as Dynamic{}; it is null.
				return &cexpr{t: TDynamic, f: func(row []Value) Value {
					if d, ok := row[i].(Dynamic); ok && d.V == nil {
						return nil
					}
					return row[i]
				}}, nil
			}
			return &cexpr{t: sc.cols[i].Type, f: func(row []Value) Value { return row[i] }}, nil
		}
		if c, ok := sc.lets[x.name]; ok {
			return c, nil
		}
		return nil, unresolvedColumn(sc.op, x.name)
	case *callExpr:
		return sc.call(x)
	case *binExpr:
		return sc.binary(x)
	case *listExpr:
		return sc.list(x)
	case *betweenExpr:
		return sc.between(x)
	case *unaryExpr:
		return sc.unary(x)
	case *memberExpr:
		d, err := sc.compile(x.x)
		if err != nil {
			return nil, err
		}
		if d.t != TDynamic {
			return nil, semErr(sc.op, "property access '.%s' needs a dynamic value, not %s", x.key, d.t)
		}
		key := x.key
		return fold(TDynamic, func(row []Value) Value { return dynIndex(d.f(row), key) }, d), nil
	case *indexExpr:
		d, err := sc.compile(x.x)
		if err != nil {
			return nil, err
		}
		idx, err := sc.compile(x.idx)
		if err != nil {
			return nil, err
		}
		if d.t != TDynamic {
			return nil, semErr(sc.op, "indexing needs a dynamic value, not %s", d.t)
		}
		if idx.t != TString && idx.t != TLong && idx.t != TInt {
			return nil, semErr(sc.op, "an index must be a string or an integer, not %s", idx.t)
		}
		return fold(TDynamic, func(row []Value) Value { return dynIndex(d.f(row), idx.f(row)) }, d, idx), nil
	case *starExpr:
		return nil, semErr(sc.op, "'*' is only allowed as an argument of arg_max")
	}
	return nil, semErr(sc.op, "unsupported expression")
}

// dynIndex looks up a bag key or an array position (negative counts from
// the end); a miss is null.
func dynIndex(v Value, key Value) Value {
	d, ok := v.(Dynamic)
	if !ok {
		return nil
	}
	var out any
	switch k := key.(type) {
	case string:
		m, ok := d.V.(map[string]any)
		if !ok {
			return nil
		}
		if out, ok = m[k]; !ok {
			return nil
		}
	case int64:
		a, ok := d.V.([]any)
		if !ok {
			return nil
		}
		if k < 0 {
			k += int64(len(a))
		}
		if k < 0 || k >= int64(len(a)) {
			return nil
		}
		out = a[k]
	default:
		return nil
	}
	if out == nil {
		return nil
	}
	return Dynamic{V: out}
}

// asPredicate checks that c is usable as a filter and returns a function
// that is true only when c is exactly true.
func (sc *scope) asPredicate(c *cexpr) (func(row []Value) bool, error) {
	switch c.t {
	case TBool:
		return func(row []Value) bool { b, _ := c.f(row).(bool); return b }, nil
	case TDynamic:
		return func(row []Value) bool {
			d, _ := c.f(row).(Dynamic)
			b, _ := d.V.(bool)
			return b
		}, nil
	}
	return nil, semErr(sc.op, "the predicate must be of type bool, not %s", c.t)
}
