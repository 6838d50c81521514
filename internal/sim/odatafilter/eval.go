package odatafilter

import (
	"strings"
	"time"
)

// Eval reports whether the record whose property values get returns
// satisfies e. Values are string, time.Time, int64, bool or nil. As in
// OData, null equals null and nothing else, "ne" is its negation, and an
// order comparison involving null is false. Strings compare by code point
// and case-sensitively.
func Eval(e Expr, get func(property string) Value) bool {
	switch x := e.(type) {
	case Cmp:
		return compare(get(x.Property), x.Op, x.Value)
	case In:
		v := get(x.Property)
		for _, w := range x.Values {
			if compare(v, "eq", w) {
				return true
			}
		}
		return false
	case Bool:
		if x.And {
			return Eval(x.L, get) && Eval(x.R, get)
		}
		return Eval(x.L, get) || Eval(x.R, get)
	case Not:
		return !Eval(x.X, get)
	}
	return false
}

func compare(v Value, op string, w Value) bool {
	if v == nil || w == nil {
		switch op {
		case "eq":
			return v == nil && w == nil
		case "ne":
			return !(v == nil && w == nil)
		}
		return false
	}
	c, ok := order(v, w)
	if !ok {
		return op == "ne"
	}
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}

// order compares two non-null values of the same type.
func order(v, w Value) (int, bool) {
	switch a := v.(type) {
	case string:
		b, ok := w.(string)
		return strings.Compare(a, b), ok
	case time.Time:
		b, ok := w.(time.Time)
		return a.Compare(b), ok
	case int64:
		b, ok := w.(int64)
		switch {
		case !ok:
			return 0, false
		case a < b:
			return -1, true
		case a > b:
			return 1, true
		}
		return 0, true
	case bool:
		b, ok := w.(bool)
		if !ok {
			return 0, false
		}
		if a == b {
			return 0, true
		}
		if !a {
			return -1, true
		}
		return 1, true
	}
	return 0, false
}

// Walk calls visit for every comparison and in list of e, so a caller can
// check properties, operators and literal types before evaluating.
func Walk(e Expr, visit func(property, op string, values []Value) error) error {
	switch x := e.(type) {
	case Cmp:
		return visit(x.Property, x.Op, []Value{x.Value})
	case In:
		return visit(x.Property, "in", x.Values)
	case Bool:
		if err := Walk(x.L, visit); err != nil {
			return err
		}
		return Walk(x.R, visit)
	case Not:
		return Walk(x.X, visit)
	}
	return nil
}
