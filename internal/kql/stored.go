package kql

import (
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// storedPredicate renders a datetime comparison on S(C), the microsecond
// value PostgreSQL stores for the column's value C (pgtime.Stored), using
// only exact comparisons on C itself. S never decreases as C grows, so
// with L(v) = pgtime.Lowest(v), the first tick whose stored value is v or
// later, and v⁺ the next whole microsecond after v:
//
//	S(C) >= v  ⇔  C >= L(v)
//	S(C) >  v  ⇔  C >= L(v⁺)
//	S(C) <  v  ⇔  C <  L(v)
//	S(C) <= v  ⇔  C <  L(v⁺)
//	S(C) =  v  ⇔  v is a whole microsecond and L(v) <= C < L(v⁺)
//
// <>, IN and NOT IN combine the = ranges.
func storedPredicate(p Predicate, c string) (string, error) {
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
			r, err := storedRange(c, t)
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
	switch p.Op {
	case Ge:
		return compare(c, ">=", pgtime.Lowest(t), p.Type)
	case Gt:
		return compare(c, ">=", pgtime.Lowest(nextMicro(t)), p.Type)
	case Lt:
		return compare(c, "<", pgtime.Lowest(t), p.Type)
	case Le:
		return compare(c, "<", pgtime.Lowest(nextMicro(t)), p.Type)
	case Eq:
		return storedRange(c, t)
	}
	// Ne
	r, err := storedRange(c, t)
	if err != nil || r == never {
		return "isnotnull(" + c + ")", err
	}
	return "isnotnull(" + c + ") and not" + r, nil
}

// nextMicro is the first whole microsecond after t.
func nextMicro(t time.Time) time.Time {
	return t.Truncate(time.Microsecond).Add(time.Microsecond)
}

// storedRange renders L(v) <= C < L(v⁺) in parentheses, or never when v
// is not a whole microsecond (no stored value equals it).
func storedRange(c string, v time.Time) (string, error) {
	if !v.Truncate(time.Microsecond).Equal(v) {
		return never, nil
	}
	lo, err := compare(c, ">=", pgtime.Lowest(v), "datetime")
	if err != nil {
		return "", err
	}
	hi, err := compare(c, "<", pgtime.Lowest(nextMicro(v)), "datetime")
	if err != nil {
		return "", err
	}
	return "(" + lo + " and " + hi + ")", nil
}
