package hunting

import (
	"fmt"
	"time"
)

// retention is the window Defender searches when a request names none.
const retention = 30 * 24 * time.Hour

// Timespan renders s as a Graph Timespan in ISO 8601, padded outwards so
// that it never excludes a row inside s (the KQL where-clause is the exact
// filter). It returns "" when s has no bounds (the server default of 30
// days), "<start>" for a lower bound only (start until now), "P30D/<end>"
// for an upper bound only and "<start>/<end>" for both. When the end lies
// after now, the duration grows so that it still reaches back to now minus
// 30 days.
func Timespan(s Slice, now time.Time) string {
	switch {
	case s.Lower == nil && s.Upper == nil:
		return ""
	case s.Upper == nil:
		return formatTime(padStart(s.Lower.Time))
	case s.Lower == nil:
		end := padEnd(s.Upper.Time)
		days := 30
		if span := end.Sub(now.Add(-retention)); span > retention {
			days = int((span + 24*time.Hour - 1) / (24 * time.Hour))
		}
		return fmt.Sprintf("P%dD/%s", days, formatTime(end))
	}
	return formatTime(padStart(s.Lower.Time)) + "/" + formatTime(padEnd(s.Upper.Time))
}

// padStart rounds t down to a whole second and steps one more second back.
func padStart(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second).Add(-time.Second)
}

// padEnd rounds t up to a whole second and steps one more second on, so
// the end still covers t if the server treats it as exclusive.
func padEnd(t time.Time) time.Time {
	return ceilSecond(t).Add(time.Second)
}

// ceilSecond rounds t up to a whole second, in UTC.
func ceilSecond(t time.Time) time.Time {
	t = t.UTC()
	up := t.Truncate(time.Second)
	if up.Before(t) {
		up = up.Add(time.Second)
	}
	return up
}

func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// intersect returns the range inside both a and b.
func intersect(a, b Slice) Slice {
	return Slice{Lower: tighter(a.Lower, b.Lower, true), Upper: tighter(a.Upper, b.Upper, false)}
}

// tighter picks the more restrictive of two bounds of the same side.
func tighter(a, b *Bound, lower bool) *Bound {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.Time.Equal(b.Time):
		return &Bound{Time: a.Time, Inclusive: a.Inclusive && b.Inclusive}
	case a.Time.After(b.Time) == lower:
		return a
	}
	return b
}

// empty reports whether no time can satisfy s.
func (s Slice) empty() bool {
	if s.Lower == nil || s.Upper == nil {
		return false
	}
	if s.Lower.Time.Equal(s.Upper.Time) {
		return !s.Lower.Inclusive || !s.Upper.Inclusive
	}
	return s.Lower.Time.After(s.Upper.Time)
}

// contains reports whether t satisfies both bounds of s.
func (s Slice) contains(t time.Time) bool {
	if b := s.Lower; b != nil {
		if c := t.Compare(b.Time); c < 0 || (c == 0 && !b.Inclusive) {
			return false
		}
	}
	if b := s.Upper; b != nil {
		if c := t.Compare(b.Time); c > 0 || (c == 0 && !b.Inclusive) {
			return false
		}
	}
	return true
}
