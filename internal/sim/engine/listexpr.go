package engine

// listLimits are the documented caps on list lengths (kql-semantics §1.3).
var listLimits = map[string]int{
	"in": 1000000, "!in": 1000000, "in~": 1000000, "!in~": 1000000, "has_any": 10000, "has_all": 256,
}

// flattenInto appends the scalar elements of v, expanding dynamic arrays
// (nested arrays too).
func flattenInto(out []Value, v Value) []Value {
	d, ok := v.(Dynamic)
	if !ok {
		return append(out, v)
	}
	arr, ok := d.V.([]any)
	if !ok {
		return append(out, dynScalar(d))
	}
	for _, e := range arr {
		if e == nil {
			out = append(out, nil)
			continue
		}
		out = flattenInto(out, Dynamic{V: e})
	}
	return out
}

// list compiles in, !in, in~, !in~, has_any and has_all.
func (sc *scope) list(x *listExpr) (*cexpr, error) {
	l, err := sc.compile(x.l)
	if err != nil {
		return nil, err
	}
	items := make([]*cexpr, len(x.items))
	allConst := true
	for i, it := range x.items {
		if items[i], err = sc.compile(it); err != nil {
			return nil, err
		}
		allConst = allConst && items[i].konst
		switch {
		case x.op == "in" || x.op == "!in":
			if items[i].t != TDynamic {
				if err := sc.checkComparable("==", l.t, items[i].t); err != nil {
					return nil, err
				}
			}
		case items[i].t != TString && items[i].t != TDynamic:
			return nil, semErr(sc.op, "operator '%s' needs string list elements, not %s", x.op, items[i].t)
		}
	}
	if x.op != "in" && x.op != "!in" && l.t != TString && l.t != TDynamic {
		return nil, semErr(sc.op, "operator '%s' needs a string on the left, not %s", x.op, l.t)
	}
	values := func(row []Value) []Value {
		var out []Value
		for _, it := range items {
			out = flattenInto(out, it.f(row))
		}
		return out
	}
	limit := listLimits[x.op]
	var test func(v Value, vals []Value) Value
	switch x.op {
	case "in", "!in":
		test = inTest(x.op == "!in")
	case "in~", "!in~":
		neg := x.op == "!in~"
		test = func(v Value, vals []Value) Value {
			s := toString(v)
			for _, e := range vals {
				if equalFoldASCII(s, toString(e)) {
					return !neg
				}
			}
			return neg
		}
	default:
		all := x.op == "has_all"
		test = func(v Value, vals []Value) Value {
			s := toString(v)
			for _, e := range vals {
				n := toString(e)
				if n == "" {
					panic(semErr(sc.op, "the elements of '%s' must not be empty", x.op))
				}
				if newTermMatcher(n, true, false, false).match(s) != all {
					return !all
				}
			}
			return all
		}
	}
	if !allConst {
		f := func(row []Value) Value {
			vals := values(row)
			if len(vals) > limit {
				panic(limitErr("operator '%s' accepts at most %d values", x.op, limit))
			}
			return test(l.f(row), vals)
		}
		return fold(TBool, f, append(items, l)...), nil
	}
	vals := values(nil)
	if len(vals) > limit {
		return nil, limitErr("operator '%s' accepts at most %d values, got %d", x.op, limit, len(vals))
	}
	if f := fastList(x.op, l, vals); f != nil {
		return fold(TBool, f, l), nil
	}
	if x.op == "has_any" || x.op == "has_all" {
		ms := make([]termMatcher, len(vals))
		for i, e := range vals {
			n := toString(e)
			if n == "" {
				return nil, semErr(sc.op, "the elements of '%s' must not be empty", x.op)
			}
			ms[i] = newTermMatcher(n, true, false, false)
		}
		all := x.op == "has_all"
		lhs := textOf(l)
		return fold(TBool, func(row []Value) Value {
			s := lhs(row)
			for _, m := range ms {
				if m.match(s) != all {
					return !all
				}
			}
			return all
		}, l), nil
	}
	return fold(TBool, func(row []Value) Value { return test(l.f(row), vals) }, l), nil
}

// inTest returns in (the OR of ==) or !in (the AND of !=) under Kusto's
// null rules: a null left side makes in false and !in true.
func inTest(neg bool) func(v Value, vals []Value) Value {
	return func(v Value, vals []Value) Value {
		sawNull := false
		for _, e := range vals {
			switch eqValues(v, e) {
			case true:
				return !neg
			case nil:
				sawNull = true
			}
		}
		if sawNull {
			return nil
		}
		return neg
	}
}

// fastList builds a set lookup for a string column against constant
// string values, or returns nil.
func fastList(op string, l *cexpr, vals []Value) func(row []Value) Value {
	if l.t != TString || (op != "in" && op != "!in" && op != "in~" && op != "!in~") {
		return nil
	}
	ci := op == "in~" || op == "!in~"
	set := make(map[string]struct{}, len(vals))
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		if ci {
			s = lowerASCII(s)
		}
		set[s] = struct{}{}
	}
	neg := op[0] == '!'
	return func(row []Value) Value {
		s, _ := l.f(row).(string)
		if ci {
			s = lowerASCII(s)
		}
		_, hit := set[s]
		return hit != neg
	}
}
