package engine

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// scalarFunc compiles one call of a scalar function from compiled arguments.
type scalarFunc func(sc *scope, args []*cexpr) (*cexpr, error)

// funcSpec gives a function's argument counts and its compiler.
type funcSpec struct {
	min, max int
	build    scalarFunc
}

// aggregateNames are valid only inside summarize.
var aggregateNames = map[string]bool{
	"count": true, "countif": true, "dcount": true, "sum": true, "min": true, "max": true,
	"avg": true, "make_set": true, "take_any": true,
}

var scalarFuncs map[string]funcSpec

func init() {
	scalarFuncs = map[string]funcSpec{
		"now":             {0, 1, fnNow},
		"ago":             {1, 1, fnAgo},
		"tolower":         {1, 1, fnCase(strings.ToLower)},
		"toupper":         {1, 1, fnCase(strings.ToUpper)},
		"tostring":        {1, 1, fnToString},
		"tolong":          {1, 1, fnToInteger(TLong)},
		"toint":           {1, 1, fnToInteger(TInt)},
		"toreal":          {1, 1, fnToReal},
		"todouble":        {1, 1, fnToReal},
		"todatetime":      {1, 1, fnToDatetime},
		"isnull":          {1, 1, fnNullTest(true)},
		"isnotnull":       {1, 1, fnNullTest(false)},
		"isempty":         {1, 1, fnEmptyTest(true)},
		"isnotempty":      {1, 1, fnEmptyTest(false)},
		"isnan":           {1, 1, fnIsNaN},
		"not":             {1, 1, fnNot},
		"strlen":          {1, 1, fnStrlen},
		"strcat":          {1, 64, fnStrcat},
		"iff":             {3, 3, fnIff},
		"iif":             {3, 3, fnIff},
		"parse_json":      {1, 1, fnParseJSON},
		"todynamic":       {1, 1, fnParseJSON},
		"coalesce":        {1, 64, fnCoalesce},
		"column_ifexists": {2, 2, nil}, // handled in call: it needs the scope's columns
		"startofday":      {1, 1, fnStartOfDay},
		"bin":             {2, 2, fnBin},
		"floor":           {2, 2, fnBin},
	}
}

// call compiles a scalar function call.
func (sc *scope) call(x *callExpr) (*cexpr, error) {
	spec, ok := scalarFuncs[x.fn]
	if !ok {
		if aggregateNames[x.fn] {
			return nil, semErr(sc.op, "aggregation function '%s' can only be used in summarize", x.fn)
		}
		return nil, semErr(sc.op, "Unknown function: '%s' (not supported by the simulator)", x.fn)
	}
	if len(x.args) < spec.min || len(x.args) > spec.max {
		return nil, semErr(sc.op, "function '%s' expects %d to %d arguments, got %d", x.fn, spec.min, spec.max, len(x.args))
	}
	if x.fn == "column_ifexists" {
		return sc.columnIfExists(x)
	}
	args := make([]*cexpr, len(x.args))
	for i, a := range x.args {
		c, err := sc.compile(a)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	c, err := spec.build(sc, args)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return nil, e
		}
		return nil, semErr(sc.op, "function '%s': %v", x.fn, err)
	}
	return c, nil
}

// columnIfExists resolves to the named column when it exists, otherwise to
// the default.
func (sc *scope) columnIfExists(x *callExpr) (*cexpr, error) {
	lit, ok := x.args[0].(*litExpr)
	name, isStr := "", false
	if ok {
		name, isStr = lit.v.(string)
	}
	if !isStr {
		return nil, semErr(sc.op, "the first argument of column_ifexists must be a string literal")
	}
	if _, ok := sc.idx[name]; ok {
		return sc.compile(&nameExpr{name: name, pos: x.pos})
	}
	return sc.compile(x.args[1])
}

// typeErr reports an argument of the wrong type.
func typeErr(sc *scope, fn string, t Type) error {
	return semErr(sc.op, "function '%s' does not accept an argument of type %s", fn, t)
}

// unaryFunc builds a null-propagating one-argument function.
func unaryFunc(t Type, a *cexpr, g func(Value) Value) *cexpr {
	return fold(t, func(row []Value) Value {
		v := a.f(row)
		if v == nil {
			return nil
		}
		return g(v)
	}, a)
}

func fnNow(sc *scope, args []*cexpr) (*cexpr, error) {
	if len(args) == 0 {
		return constant(TDateTime, sc.now), nil
	}
	if args[0].t != TTimespan {
		return nil, typeErr(sc, "now", args[0].t)
	}
	now := sc.now
	return unaryFunc(TDateTime, args[0], func(v Value) Value { return now.Add(v.(time.Duration)) }), nil
}

func fnAgo(sc *scope, args []*cexpr) (*cexpr, error) {
	if args[0].t != TTimespan {
		return nil, typeErr(sc, "ago", args[0].t)
	}
	now := sc.now
	return unaryFunc(TDateTime, args[0], func(v Value) Value { return now.Add(-v.(time.Duration)) }), nil
}

// fnCase builds tolower/toupper, which fold Unicode (unlike =~).
func fnCase(conv func(string) string) scalarFunc {
	return func(sc *scope, args []*cexpr) (*cexpr, error) {
		a := args[0]
		if a.t != TString && a.t != TDynamic {
			return nil, typeErr(sc, "tolower/toupper", a.t)
		}
		s := textOf(a)
		return fold(TString, func(row []Value) Value { return conv(s(row)) }, a), nil
	}
}

func fnToString(_ *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	return fold(TString, func(row []Value) Value { return toString(a.f(row)) }, a), nil
}

// ticksSinceMin counts 100 ns ticks from 0001-01-01.
func ticksSinceMin(t time.Time) int64 {
	return (t.Unix()-minTime.Unix())*10000000 + int64(t.Nanosecond()/100)
}

// fromTicks is the inverse of ticksSinceMin.
func fromTicks(ticks int64) time.Time {
	return time.Unix(minTime.Unix()+ticks/10000000, (ticks%10000000)*100).UTC()
}

// fnToInteger builds tolong and toint; failed conversions are null.
func fnToInteger(t Type) scalarFunc {
	return func(sc *scope, args []*cexpr) (*cexpr, error) {
		a := args[0]
		if a.t == TGUID {
			return nil, typeErr(sc, "to"+string(t), a.t)
		}
		fit := func(n int64) Value {
			if t == TInt && (n < math.MinInt32 || n > math.MaxInt32) {
				return nil
			}
			return n
		}
		var conv func(v Value) Value
		conv = func(v Value) Value {
			switch x := v.(type) {
			case int64:
				return fit(x)
			case float64:
				if math.IsNaN(x) || x >= 9.223372036854775807e18 || x < -9.223372036854775808e18 {
					return nil
				}
				return fit(int64(x))
			case bool:
				return int64(b2i(x))
			case string:
				n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
				if err != nil {
					return nil
				}
				return fit(n)
			case time.Time:
				return ticksSinceMin(x)
			case time.Duration:
				return fit(int64(x / 100))
			case Dynamic:
				if s := dynScalar(x); s != nil {
					if _, composite := s.(Dynamic); !composite {
						return conv(s)
					}
				}
			}
			return nil
		}
		return unaryFunc(t, a, conv), nil
	}
}

func fnToReal(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	switch a.t {
	case TGUID, TDateTime, TTimespan:
		return nil, typeErr(sc, "toreal", a.t)
	}
	var conv func(v Value) Value
	conv = func(v Value) Value {
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float64:
			return x
		case bool:
			return float64(b2i(x))
		case string:
			f, err := parseRealLiteral(strings.TrimSpace(x))
			if err != nil {
				return nil
			}
			return f
		case Dynamic:
			if s := dynScalar(x); s != nil {
				if _, composite := s.(Dynamic); !composite {
					return conv(s)
				}
			}
		}
		return nil
	}
	return unaryFunc(TReal, a, conv), nil
}

func fnToDatetime(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	switch a.t {
	case TDateTime:
		return a, nil
	case TString, TDynamic:
		return unaryFunc(TDateTime, a, func(v Value) Value {
			if t, ok := parseISO(toString(v)); ok {
				return t
			}
			return nil
		}), nil
	}
	return nil, typeErr(sc, "todatetime", a.t)
}

// fnNullTest builds isnull/isnotnull: a string is never null.
func fnNullTest(want bool) scalarFunc {
	return func(_ *scope, args []*cexpr) (*cexpr, error) {
		a := args[0]
		if a.t == TString {
			return constant(TBool, !want), nil
		}
		return fold(TBool, func(row []Value) Value { return (a.f(row) == nil) == want }, a), nil
	}
}

// fnEmptyTest builds isempty/isnotempty: true for null and "".
func fnEmptyTest(want bool) scalarFunc {
	return func(_ *scope, args []*cexpr) (*cexpr, error) {
		a := args[0]
		return fold(TBool, func(row []Value) Value {
			v := a.f(row)
			empty := v == nil || v == ""
			if d, ok := v.(Dynamic); ok {
				empty = d.V == nil || d.V == ""
			}
			return empty == want
		}, a), nil
	}
}

func fnIsNaN(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	if !isNumeric(a.t) {
		return nil, typeErr(sc, "isnan", a.t)
	}
	return fold(TBool, func(row []Value) Value {
		f, ok := a.f(row).(float64)
		return ok && math.IsNaN(f)
	}, a), nil
}

// fnNot negates a bool; not(null) is null.
func fnNot(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	if a.t != TBool {
		return nil, typeErr(sc, "not", a.t)
	}
	return unaryFunc(TBool, a, func(v Value) Value { return !v.(bool) }), nil
}

// fnStrlen counts Unicode code points.
func fnStrlen(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	if a.t != TString && a.t != TDynamic {
		return nil, typeErr(sc, "strlen", a.t)
	}
	s := textOf(a)
	return fold(TLong, func(row []Value) Value { return int64(utf8.RuneCountInString(s(row))) }, a), nil
}

func fnStrcat(_ *scope, args []*cexpr) (*cexpr, error) {
	return fold(TString, func(row []Value) Value {
		var b strings.Builder
		for _, a := range args {
			b.WriteString(toString(a.f(row)))
		}
		return b.String()
	}, args...), nil
}

// commonType returns the type shared by branch values, promoting numbers.
func commonType(sc *scope, fn string, args []*cexpr) (Type, error) {
	t := args[0].t
	for _, a := range args[1:] {
		switch {
		case a.t == t:
		case isNumeric(a.t) && isNumeric(t):
			t = promote(t, a.t)
		default:
			return "", semErr(sc.op, "function '%s' needs arguments of one type, got %s and %s", fn, t, a.t)
		}
	}
	return t, nil
}

// coerce widens an int64 to float64 when the target type is real.
func coerce(t Type, v Value) Value {
	if i, ok := v.(int64); ok && t == TReal {
		return float64(i)
	}
	return v
}

// fnIff picks the second argument when the condition is true and the third
// otherwise (null counts as false).
func fnIff(sc *scope, args []*cexpr) (*cexpr, error) {
	c, a, b := args[0], args[1], args[2]
	if c.t != TBool {
		return nil, typeErr(sc, "iff", c.t)
	}
	t, err := commonType(sc, "iff", args[1:])
	if err != nil {
		return nil, err
	}
	return fold(t, func(row []Value) Value {
		if v, _ := c.f(row).(bool); v {
			return coerce(t, a.f(row))
		}
		return coerce(t, b.f(row))
	}, args...), nil
}

func fnParseJSON(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	switch a.t {
	case TDynamic:
		return a, nil
	case TString:
		return fold(TDynamic, func(row []Value) Value { s, _ := a.f(row).(string); return parseJSON(s) }, a), nil
	}
	return nil, typeErr(sc, "parse_json", a.t)
}

// fnCoalesce returns the first argument that is not null (for strings, not empty).
func fnCoalesce(sc *scope, args []*cexpr) (*cexpr, error) {
	t, err := commonType(sc, "coalesce", args)
	if err != nil {
		return nil, err
	}
	return fold(t, func(row []Value) Value {
		for _, a := range args {
			if v := a.f(row); v != nil && v != "" {
				return coerce(t, v)
			}
		}
		if t == TString {
			return ""
		}
		return nil
	}, args...), nil
}

func fnStartOfDay(sc *scope, args []*cexpr) (*cexpr, error) {
	a := args[0]
	if a.t != TDateTime {
		return nil, typeErr(sc, "startofday", a.t)
	}
	return unaryFunc(TDateTime, a, func(v Value) Value {
		t := v.(time.Time)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}), nil
}

// fnBin rounds down to a multiple of the bin size; datetimes are binned
// from 0001-01-01. A non-positive size gives null.
func fnBin(sc *scope, args []*cexpr) (*cexpr, error) {
	v, size := args[0], args[1]
	var t Type
	var g func(a, b Value) Value
	switch {
	case isNumeric(v.t) && isNumeric(size.t):
		t = v.t
		if size.t == TReal {
			t = TReal
		}
		g = func(a, b Value) Value {
			if t == TReal {
				x, s := toFloat(a), toFloat(b)
				if !(s > 0) {
					return nil
				}
				return math.Floor(x/s) * s
			}
			x, s := a.(int64), b.(int64)
			if s <= 0 {
				return nil
			}
			return floorDiv(x, s) * s
		}
	case v.t == TDateTime && size.t == TTimespan:
		t = TDateTime
		g = func(a, b Value) Value {
			s := int64(b.(time.Duration) / 100)
			if s <= 0 {
				return nil
			}
			ticks := ticksSinceMin(a.(time.Time))
			return fromTicks(ticks - ticks%s)
		}
	case v.t == TTimespan && size.t == TTimespan:
		t = TTimespan
		g = func(a, b Value) Value {
			s := int64(b.(time.Duration) / 100)
			if s <= 0 {
				return nil
			}
			return time.Duration(floorDiv(int64(a.(time.Duration)/100), s)*s) * 100
		}
	default:
		return nil, semErr(sc.op, "function 'bin' does not accept arguments of types %s and %s", v.t, size.t)
	}
	return fold(t, func(row []Value) Value {
		a, b := v.f(row), size.f(row)
		if a == nil || b == nil {
			return nil
		}
		return g(a, b)
	}, v, size), nil
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
