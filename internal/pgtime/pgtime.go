// Package pgtime predicts the timestamp PostgreSQL stores when Steampipe's
// FDW hands it one of Defender's datetimes.
//
// The FDW formats a row's timestamp as RFC 3339 text with every fractional
// digit the value has (Defender keeps 100 ns ticks, so up to seven), and
// PostgreSQL's timestamptz input reads the fraction with strtod and rounds
// it to microseconds with rint: half to even on the double product,
// carrying into the next second. Stored reproduces that rule exactly; the
// tests check it against a real server.
package pgtime

import (
	"math"
	"strconv"
	"time"
)

// Tick is the resolution of a Kusto datetime.
const Tick = 100 * time.Nanosecond

// Stored returns the value PostgreSQL stores for t, in UTC: t rounded to a
// whole microsecond the way timestamptz input rounds its text.
func Stored(t time.Time) time.Time {
	t = t.UTC()
	sec := t.Truncate(time.Second)
	ns := t.Sub(sec)
	if ns == 0 {
		return sec
	}
	// strtod of ".ddddddddd" is the correctly rounded double of ns/1e9,
	// whatever trailing zeros the text carries, and so is ParseFloat.
	frac, err := strconv.ParseFloat("0."+pad9(int64(ns)), 64)
	if err != nil {
		panic("pgtime: " + err.Error()) // unreachable: the text is nine digits
	}
	us := math.RoundToEven(frac * 1e6)
	return sec.Add(time.Duration(us) * time.Microsecond)
}

// Lowest returns the earliest multiple of Tick whose Stored value is at or
// after v. Stored never decreases as its argument grows, so for any
// Defender datetime c (a multiple of Tick):
//
//	Stored(c) >= v  ⇔  c >= Lowest(v)
//
// and the other comparisons follow: Stored(c) > v ⇔ c >= Lowest(v+1µs)
// when v is a whole microsecond, and so on.
func Lowest(v time.Time) time.Time {
	v = v.UTC()
	// Stored values are whole microseconds: Stored(c) >= v ⇔ Stored(c) >= ceil(v).
	if f := v.Truncate(time.Microsecond); !f.Equal(v) {
		v = f.Add(time.Microsecond)
	}
	// Stored(v) = v, and a tick a whole microsecond earlier stores less.
	t := v
	for c := v.Add(-Tick); c.After(v.Add(-time.Microsecond)); c = c.Add(-Tick) {
		if Stored(c).Before(v) {
			break
		}
		t = c
	}
	return t
}

// pad9 writes n (0 <= n < 1e9) as nine digits.
func pad9(n int64) string {
	s := strconv.FormatInt(n, 10)
	for len(s) < 9 {
		s = "0" + s
	}
	return s
}
