package pgtime

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStored(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-11-23T09:41:00Z", "2026-11-23T09:41:00Z"},
		{"2026-11-23T09:41:00.1234567Z", "2026-11-23T09:41:00.123457Z"},
		{"2026-11-23T09:41:00.1234564Z", "2026-11-23T09:41:00.123456Z"},
		{"2026-11-23T09:41:00.9999996Z", "2026-11-23T09:41:01Z"},
		{"2026-11-23T09:41:00.9999994Z", "2026-11-23T09:41:00.999999Z"},
		{"2026-12-31T23:59:59.9999999Z", "2027-01-01T00:00:00Z"},
		{"2026-11-23T09:41:00.0000004Z", "2026-11-23T09:41:00Z"},
		{"2026-11-23T09:41:00.000001Z", "2026-11-23T09:41:00.000001Z"},
	} {
		if got := Stored(at(c.in)); !got.Equal(at(c.want)) {
			t.Errorf("Stored(%s) = %s, want %s", c.in, got.Format(time.RFC3339Nano), c.want)
		}
	}
}

// TestLowestBracketsEveryMicrosecond checks, over many microseconds, that
// Lowest is the exact boundary: the tick before it stores less than v and
// the tick at it stores v or more.
func TestLowestBracketsEveryMicrosecond(t *testing.T) {
	base := at("2026-11-23T09:41:59.999000Z")
	for i := 0; i < 3000; i++ {
		v := base.Add(time.Duration(i) * time.Microsecond)
		lo := Lowest(v)
		if Stored(lo).Before(v) {
			t.Fatalf("Lowest(%s) = %s stores %s, before v", v, lo, Stored(lo))
		}
		if prev := lo.Add(-Tick); !Stored(prev).Before(v) {
			t.Fatalf("Lowest(%s) = %s, but the tick before stores %s", v, lo, Stored(prev))
		}
		if d := v.Sub(lo); d < 400*time.Nanosecond || d > 500*time.Nanosecond {
			t.Fatalf("Lowest(%s) is %s before v, want 400ns or 500ns", v, d)
		}
	}
}

func TestLowestRoundsUpBetweenMicroseconds(t *testing.T) {
	v := at("2026-11-23T09:41:00.1234561Z")
	if got, want := Lowest(v), Lowest(at("2026-11-23T09:41:00.123457Z")); !got.Equal(want) {
		t.Fatalf("Lowest(%s) = %s, want %s", v, got, want)
	}
}
