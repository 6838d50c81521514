package hunting

import (
	"net/http"
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

func TestTimespanForms(t *testing.T) {
	now := at("2026-03-31T12:00:00Z")
	lo := &Bound{Time: at("2026-03-10T08:00:00.25Z"), Inclusive: true}
	loWhole := &Bound{Time: at("2026-03-10T08:00:00Z")}
	hi := &Bound{Time: at("2026-03-20T17:30:00.0000001Z")}
	hiWhole := &Bound{Time: at("2026-03-20T17:30:00Z"), Inclusive: true}
	future := &Bound{Time: at("2026-04-02T00:00:00Z")}
	for _, tc := range []struct {
		name string
		s    Slice
		want string
	}{
		{"no bounds", Slice{}, ""},
		{"lower only", Slice{Lower: lo}, "2026-03-10T07:59:59Z"},
		{"whole-second lower", Slice{Lower: loWhole}, "2026-03-10T07:59:59Z"},
		{"upper only", Slice{Upper: hi}, "P30D/2026-03-20T17:30:02Z"},
		{"whole-second upper", Slice{Upper: hiWhole}, "P30D/2026-03-20T17:30:01Z"},
		{"upper after now", Slice{Upper: future}, "P32D/2026-04-02T00:00:01Z"},
		{"both", Slice{Lower: lo, Upper: hi}, "2026-03-10T07:59:59Z/2026-03-20T17:30:02Z"},
		{"other zone", Slice{Lower: &Bound{Time: at("2026-03-10T10:00:00+02:00")}}, "2026-03-10T07:59:59Z"},
	} {
		if got := Timespan(tc.s, now); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSliceHelpers(t *testing.T) {
	a := at("2026-01-01T00:00:00Z")
	b := at("2026-01-02T00:00:00Z")
	incl := Slice{Lower: &Bound{Time: a, Inclusive: true}, Upper: &Bound{Time: b, Inclusive: true}}
	excl := Slice{Lower: &Bound{Time: a}, Upper: &Bound{Time: b}}
	if !incl.contains(a) || !incl.contains(b) || excl.contains(a) || excl.contains(b) || !excl.contains(a.Add(time.Hour)) {
		t.Error("contains ignores inclusiveness")
	}
	got := intersect(incl, Slice{Lower: &Bound{Time: a}, Upper: &Bound{Time: a.Add(time.Hour), Inclusive: true}})
	if got.Lower.Inclusive || !got.Lower.Time.Equal(a) || !got.Upper.Time.Equal(a.Add(time.Hour)) {
		t.Errorf("intersect = %+v %+v", got.Lower, got.Upper)
	}
	if (Slice{Lower: &Bound{Time: b}, Upper: &Bound{Time: a}}).empty() == false ||
		(Slice{Lower: &Bound{Time: a, Inclusive: true}, Upper: &Bound{Time: a}}).empty() == false ||
		(Slice{Lower: &Bound{Time: a, Inclusive: true}, Upper: &Bound{Time: a, Inclusive: true}}).empty() {
		t.Error("empty is wrong")
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := at("2026-03-31T12:00:00Z")
	for v, want := range map[string]time.Duration{
		"120":                           2 * time.Minute,
		"0":                             0,
		"Tue, 31 Mar 2026 12:05:00 GMT": 5 * time.Minute,
		"Tue, 31 Mar 2026 11:00:00 GMT": 0,
	} {
		h := http.Header{"Retry-After": {v}}
		if got, ok := RetryAfter(h, now); !ok || got != want {
			t.Errorf("Retry-After %q = %v %v, want %v", v, got, ok, want)
		}
	}
	if _, ok := RetryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("accepted a bad Retry-After")
	}
}

func TestMessageWait(t *testing.T) {
	for msg, want := range map[string]time.Duration{
		"You can run queries again in 00:12:30.": 12*time.Minute + 30*time.Second,
		"run queries again in 1.02:00:00":        26 * time.Hour,
		"try again in 5 minutes":                 5 * time.Minute,
		"try again in 90 seconds.":               90 * time.Second,
		"again in 2m30s":                         150 * time.Second,
	} {
		if got, ok := messageWait(msg); !ok || got != want {
			t.Errorf("%q = %v %v, want %v", msg, got, ok, want)
		}
	}
	if _, ok := messageWait("quota exceeded"); ok {
		t.Error("found a wait where there is none")
	}
	if got := nextCycle(at("2026-03-31T12:14:59Z")); !got.Equal(at("2026-03-31T12:15:00Z")) {
		t.Errorf("nextCycle = %v", got)
	}
}
