package engine

import (
	"math"
	"time"
)

// binary compiles logical, comparison, arithmetic and string operators.
func (sc *scope) binary(x *binExpr) (*cexpr, error) {
	l, err := sc.compile(x.l)
	if err != nil {
		return nil, err
	}
	r, err := sc.compile(x.r)
	if err != nil {
		return nil, err
	}
	switch x.op {
	case "and", "or":
		return sc.logical(x.op, l, r)
	case "==", "!=", "<", "<=", ">", ">=":
		return sc.comparison(x.op, l, r)
	case "+", "-", "*", "/", "%":
		return sc.arith(x.op, l, r)
	}
	return sc.stringOp(x.op, l, r)
}

// logical implements three-valued and/or: false wins for and, true for or,
// otherwise any null gives null.
func (sc *scope) logical(op string, l, r *cexpr) (*cexpr, error) {
	if l.t != TBool || r.t != TBool {
		return nil, semErr(sc.op, "operator '%s' needs bool operands, not %s and %s", op, l.t, r.t)
	}
	decisive := op == "or"
	f := func(row []Value) Value {
		a := l.f(row)
		if a == decisive {
			return decisive
		}
		b := r.f(row)
		if b == decisive {
			return decisive
		}
		if a == nil || b == nil {
			return nil
		}
		return !decisive
	}
	return fold(TBool, f, l, r), nil
}

// checkComparable enforces strict typing: no implicit string, guid or
// datetime coercions, and no ordering of strings, bools or guids.
func (sc *scope) checkComparable(op string, lt, rt Type) error {
	ordered := op != "==" && op != "!="
	dyn := lt == TDynamic || rt == TDynamic
	other := lt
	if lt == TDynamic {
		other = rt
	}
	switch {
	case isNumeric(lt) && isNumeric(rt):
		return nil
	case !ordered && (lt == rt || dyn):
		return nil
	case ordered && lt == rt && (lt == TDateTime || lt == TTimespan || lt == TDynamic):
		return nil
	case ordered && dyn && (isNumeric(other) || other == TDateTime || other == TTimespan):
		return nil
	case ordered && lt == rt:
		return semErr(sc.op, "operator '%s' is not defined for values of type %s", op, lt)
	}
	return semErr(sc.op, "Cannot compare values of types %s and %s. Try adding explicit casts", lt, rt)
}

// eqValues is == under Kusto's null rules: null vs value is false, null vs
// null is null.
func eqValues(a, b Value) Value {
	if a == nil || b == nil {
		if a == nil && b == nil {
			return nil
		}
		return false
	}
	c, ok := cmpAny(a, b)
	return ok && c == 0
}

// neValues is != under Kusto's null rules: null vs value is true, null vs
// null is null.
func neValues(a, b Value) Value {
	v := eqValues(a, b)
	if v == nil {
		return nil
	}
	return !v.(bool)
}

// comparison compiles == != < <= > >=.
func (sc *scope) comparison(op string, l, r *cexpr) (*cexpr, error) {
	if err := sc.checkComparable(op, l.t, r.t); err != nil {
		return nil, err
	}
	var f func(row []Value) Value
	switch {
	case l.t == TString && r.t == TString && op == "==":
		f = func(row []Value) Value { a, _ := l.f(row).(string); b, _ := r.f(row).(string); return a == b }
	case l.t == TString && r.t == TString:
		f = func(row []Value) Value { a, _ := l.f(row).(string); b, _ := r.f(row).(string); return a != b }
	case op == "==":
		f = func(row []Value) Value { return eqValues(l.f(row), r.f(row)) }
	case op == "!=":
		f = func(row []Value) Value { return neValues(l.f(row), r.f(row)) }
	default:
		test := map[string]func(int) bool{
			"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
			">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
		}[op]
		f = func(row []Value) Value {
			a, b := l.f(row), r.f(row)
			if a == nil || b == nil {
				return nil
			}
			c, ok := cmpAny(a, b)
			return ok && test(c)
		}
	}
	return fold(TBool, f, l, r), nil
}

// arith compiles + - * / % over numbers, datetimes and timespans.
func (sc *scope) arith(op string, l, r *cexpr) (*cexpr, error) {
	lt, rt := l.t, r.t
	var t Type
	var g func(a, b Value) Value
	switch {
	case isNumeric(lt) && isNumeric(rt):
		t = promote(lt, rt)
		g = numericOp(op, t)
	case lt == TDateTime && rt == TTimespan && (op == "+" || op == "-"):
		t = TDateTime
		g = func(a, b Value) Value {
			d := b.(time.Duration)
			if op == "-" {
				d = -d
			}
			return a.(time.Time).Add(d)
		}
	case lt == TTimespan && rt == TDateTime && op == "+":
		t = TDateTime
		g = func(a, b Value) Value { return b.(time.Time).Add(a.(time.Duration)) }
	case lt == TDateTime && rt == TDateTime && op == "-":
		t = TTimespan
		g = func(a, b Value) Value { return a.(time.Time).Sub(b.(time.Time)).Truncate(100) }
	case lt == TTimespan && rt == TTimespan && (op == "+" || op == "-" || op == "/"):
		t = TTimespan
		g = func(a, b Value) Value {
			x, y := a.(time.Duration), b.(time.Duration)
			switch op {
			case "+":
				return x + y
			case "-":
				return x - y
			}
			return float64(x) / float64(y)
		}
		if op == "/" {
			t = TReal
		}
	case lt == TTimespan && isNumeric(rt) && (op == "*" || op == "/"):
		t = TTimespan
		g = func(a, b Value) Value {
			x, y := float64(a.(time.Duration)/100), toFloat(b)
			if op == "/" {
				if y == 0 {
					return nil
				}
				return time.Duration(x/y) * 100
			}
			return time.Duration(x*y) * 100
		}
	case isNumeric(lt) && rt == TTimespan && op == "*":
		t = TTimespan
		g = func(a, b Value) Value { return time.Duration(toFloat(a)*float64(b.(time.Duration)/100)) * 100 }
	default:
		return nil, semErr(sc.op, "operator '%s' cannot be applied to values of types %s and %s", op, lt, rt)
	}
	f := func(row []Value) Value {
		a, b := l.f(row), r.f(row)
		if a == nil || b == nil {
			return nil
		}
		return g(a, b)
	}
	return fold(t, f, l, r), nil
}

// numericOp returns the arithmetic for result type t. Integer division
// truncates; integer division or modulo by zero gives null; int results wrap
// to 32 bits.
func numericOp(op string, t Type) func(a, b Value) Value {
	if t == TReal {
		return func(a, b Value) Value {
			x, y := toFloat(a), toFloat(b)
			switch op {
			case "+":
				return x + y
			case "-":
				return x - y
			case "*":
				return x * y
			case "/":
				return x / y
			}
			return math.Mod(x, y)
		}
	}
	return func(a, b Value) Value {
		x, y := a.(int64), b.(int64)
		var v int64
		switch op {
		case "+":
			v = x + y
		case "-":
			v = x - y
		case "*":
			v = x * y
		case "/", "%":
			if y == 0 {
				return nil
			}
			if op == "/" {
				v = x / y
			} else {
				v = x % y
			}
		}
		if t == TInt {
			v = int64(int32(v))
		}
		return v
	}
}

// unary compiles unary minus and plus.
func (sc *scope) unary(x *unaryExpr) (*cexpr, error) {
	c, err := sc.compile(x.x)
	if err != nil {
		return nil, err
	}
	if !isNumeric(c.t) && c.t != TTimespan {
		return nil, semErr(sc.op, "unary '%s' cannot be applied to a value of type %s", x.op, c.t)
	}
	if x.op == "+" {
		return c, nil
	}
	f := func(row []Value) Value {
		switch v := c.f(row).(type) {
		case int64:
			if c.t == TInt {
				return int64(int32(-v))
			}
			return -v
		case float64:
			return -v
		case time.Duration:
			return -v
		}
		return nil
	}
	return fold(c.t, f, c), nil
}

// between compiles between and !between; both ends are inclusive and a
// datetime range may end with a timespan measured from its start.
func (sc *scope) between(x *betweenExpr) (*cexpr, error) {
	l, err := sc.compile(x.l)
	if err != nil {
		return nil, err
	}
	lo, err := sc.compile(x.lo)
	if err != nil {
		return nil, err
	}
	hi, err := sc.compile(x.hi)
	if err != nil {
		return nil, err
	}
	if lo.t == TDateTime && hi.t == TTimespan {
		span := hi
		hi = &cexpr{t: TDateTime, konst: lo.konst && span.konst, f: func(row []Value) Value {
			a, d := lo.f(row), span.f(row)
			if a == nil || d == nil {
				return nil
			}
			return a.(time.Time).Add(d.(time.Duration))
		}}
	}
	if err := sc.checkComparable(">=", l.t, lo.t); err != nil {
		return nil, err
	}
	if err := sc.checkComparable("<=", l.t, hi.t); err != nil {
		return nil, err
	}
	neg := x.neg
	f := func(row []Value) Value {
		v, a, b := l.f(row), lo.f(row), hi.f(row)
		if v == nil || a == nil || b == nil {
			return nil
		}
		c1, ok1 := cmpAny(v, a)
		c2, ok2 := cmpAny(v, b)
		in := ok1 && ok2 && c1 >= 0 && c2 <= 0
		return in != neg
	}
	return fold(TBool, f, l, lo, hi), nil
}
