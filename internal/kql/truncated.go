package kql

import (
	"strings"
	"time"
)

// truncatedPredicate renders a datetime comparison on the column's value
// cut down to a multiple of p.Unit (trunc(C) below), using only exact
// comparisons on C itself:
//
//	trunc(C) >= v  ⇔  C >= ceil(v)
//	trunc(C) >  v  ⇔  C >= floor(v)+u
//	trunc(C) <  v  ⇔  C <  ceil(v)
//	trunc(C) <= v  ⇔  C <  floor(v)+u
//	trunc(C) =  v  ⇔  v is a multiple of u and v <= C < v+u
//
// <>, IN and NOT IN combine the = ranges.
func truncatedPredicate(p Predicate, c string) (string, error) {
	u := p.Unit
	if p.Op == In || p.Op == NotIn {
		list, ok := p.Value.([]any)
		if !ok {
			return "", typeError(p.Value, p.Type)
		}
		var ranges []string
		for _, e := range list {
			if e == nil {
				if p.Op == NotIn { // x <> NULL is never true
					return never, nil
				}
				continue
			}
			t, ok := e.(time.Time)
			if !ok {
				return "", typeError(e, p.Type)
			}
			r, err := unitRange(c, t, u)
			if err != nil {
				return "", err
			}
			if r != never {
				ranges = append(ranges, r)
			}
		}
		if p.Op == In {
			if len(ranges) == 0 {
				return never, nil
			}
			return "(" + strings.Join(ranges, " or ") + ")", nil
		}
		if len(list) == 0 {
			return always, nil // x <> ALL('{}') is true, even for NULL x
		}
		if len(ranges) == 0 {
			return "isnotnull(" + c + ")", nil
		}
		return "isnotnull(" + c + ") and not(" + strings.Join(ranges, " or ") + ")", nil
	}
	t, ok := p.Value.(time.Time)
	if !ok {
		return "", typeError(p.Value, p.Type)
	}
	floor := t.Truncate(u)
	ceil := floor
	if !floor.Equal(t) {
		ceil = floor.Add(u)
	}
	switch p.Op {
	case Ge:
		return compare(c, ">=", ceil, p.Type)
	case Gt:
		return compare(c, ">=", floor.Add(u), p.Type)
	case Lt:
		return compare(c, "<", ceil, p.Type)
	case Le:
		return compare(c, "<", floor.Add(u), p.Type)
	case Eq:
		return unitRange(c, t, u)
	}
	// Ne
	r, err := unitRange(c, t, u)
	if err != nil || r == never {
		return "isnotnull(" + c + ")", err
	}
	return "isnotnull(" + c + ") and not" + r, nil
}

// unitRange renders v <= C < v+u in parentheses, or never when v is not a
// multiple of u (no truncated value equals it).
func unitRange(c string, v time.Time, u time.Duration) (string, error) {
	if !v.Truncate(u).Equal(v) {
		return never, nil
	}
	lo, err := compare(c, ">=", v, "datetime")
	if err != nil {
		return "", err
	}
	hi, err := compare(c, "<", v.Add(u), "datetime")
	if err != nil {
		return "", err
	}
	return "(" + lo + " and " + hi + ")", nil
}
