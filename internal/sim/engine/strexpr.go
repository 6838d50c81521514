package engine

import (
	"strings"
)

// textOf returns the string operand of a string operator: strings as they
// are, dynamic values through tostring (null as "").
func textOf(c *cexpr) func(row []Value) string {
	if c.t == TString {
		return func(row []Value) string { s, _ := c.f(row).(string); return s }
	}
	return func(row []Value) string { return toString(c.f(row)) }
}

// stringOp compiles =~, !~, contains, startswith, endswith, has,
// hasprefix, hassuffix (with _cs and ! forms) and matches regex.
func (sc *scope) stringOp(op string, l, r *cexpr) (*cexpr, error) {
	if l.t != TString && l.t != TDynamic {
		return nil, semErr(sc.op, "operator '%s' needs a string on the left, not %s", op, l.t)
	}
	if r.t != TString {
		return nil, semErr(sc.op, "operator '%s' needs a string on the right, not %s", op, r.t)
	}
	lhs := textOf(l)
	if op == "matches regex" {
		if !r.konst {
			return nil, semErr(sc.op, "the pattern of 'matches regex' must be a constant string")
		}
		re, err := compileRegex(sc.op, r.value().(string))
		if err != nil {
			return nil, err
		}
		return fold(TBool, func(row []Value) Value { return re.MatchString(lhs(row)) }, l), nil
	}
	neg := strings.HasPrefix(op, "!")
	base := strings.TrimPrefix(op, "!")
	cs := strings.HasSuffix(base, "_cs")
	base = strings.TrimSuffix(base, "_cs")
	if op == "=~" || op == "!~" {
		base = "=~"
	}
	var test func(s, n string) bool
	switch base {
	case "=~":
		test = equalFoldASCII
	case "contains":
		test = func(s, n string) bool { return indexFold(s, lowerASCII(n)) >= 0 }
		if cs {
			test = strings.Contains
		}
	case "startswith":
		test = func(s, n string) bool { return hasPrefixFold(s, lowerASCII(n)) }
		if cs {
			test = strings.HasPrefix
		}
	case "endswith":
		test = func(s, n string) bool { return hasSuffixFold(s, lowerASCII(n)) }
		if cs {
			test = strings.HasSuffix
		}
	case "has", "hasprefix", "hassuffix":
		return sc.termOp(op, base, cs, neg, l, lhs, r)
	default:
		return nil, semErr(sc.op, "unknown operator '%s'", op)
	}
	if r.konst {
		n, _ := r.value().(string)
		if !cs && base != "=~" {
			// Fold the needle once instead of per row.
			ln := lowerASCII(n)
			switch base {
			case "contains":
				test = func(s, _ string) bool { return indexFold(s, ln) >= 0 }
			case "startswith":
				test = func(s, _ string) bool { return hasPrefixFold(s, ln) }
			case "endswith":
				test = func(s, _ string) bool { return hasSuffixFold(s, ln) }
			}
		}
		return fold(TBool, func(row []Value) Value { return test(lhs(row), n) != neg }, l), nil
	}
	rhs := textOf(r)
	return fold(TBool, func(row []Value) Value { return test(lhs(row), rhs(row)) != neg }, l, r), nil
}

// termOp compiles has, hasprefix and hassuffix. An empty right side is
// rejected: its meaning is undocumented.
func (sc *scope) termOp(op, base string, cs, neg bool, l *cexpr, lhs func([]Value) string, r *cexpr) (*cexpr, error) {
	prefix, suffix := base == "hasprefix", base == "hassuffix"
	if r.konst {
		n, _ := r.value().(string)
		if n == "" {
			return nil, semErr(sc.op, "the right side of '%s' must not be empty", op)
		}
		m := newTermMatcher(n, !cs, prefix, suffix)
		return fold(TBool, func(row []Value) Value { return m.match(lhs(row)) != neg }, l), nil
	}
	rhs := textOf(r)
	errOp := sc.op
	f := func(row []Value) Value {
		n := rhs(row)
		if n == "" {
			panic(semErr(errOp, "the right side of '%s' must not be empty", op))
		}
		return newTermMatcher(n, !cs, prefix, suffix).match(lhs(row)) != neg
	}
	return fold(TBool, f, l, r), nil
}
