package sim

import (
	"testing"
	"time"
)

func TestParseTimespanForms(t *testing.T) {
	now := time.Date(2024, 2, 15, 8, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	tests := []struct {
		in       string
		from, to time.Time
	}{
		{"", now.Add(-30 * day), now},
		{"2024-02-01T08:00:00Z/2024-02-10T08:00:00Z",
			time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC), time.Date(2024, 2, 10, 8, 0, 0, 0, time.UTC)},
		{"P3D/2024-02-10T08:00:00Z",
			time.Date(2024, 2, 7, 8, 0, 0, 0, time.UTC), time.Date(2024, 2, 10, 8, 0, 0, 0, time.UTC)},
		{"2024-02-01T08:00:00Z/P1DT12H",
			time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC), time.Date(2024, 2, 2, 20, 0, 0, 0, time.UTC)},
		{"P30D", now.Add(-30 * day), now},
		{"PT90M", now.Add(-90 * time.Minute), now},
		{"P1W", now.Add(-7 * day), now},
		{"PT1.5H", now.Add(-90 * time.Minute), now},
		{"P0,5D", now.Add(-12 * time.Hour), now},
		{"p2d", now.Add(-2 * day), now},
		{"P1M", time.Date(2024, 1, 15, 8, 0, 0, 0, time.UTC), now},
		{"P1Y2M", time.Date(2022, 12, 15, 8, 0, 0, 0, time.UTC), now},
		{"2024-02-01T08:00:00Z", time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC), now},
		{"2024-02-01T09:30:00+01:30", time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC), now},
		{"2024-02-01T08:00:00.1234567Z", time.Date(2024, 2, 1, 8, 0, 0, 123456700, time.UTC), now},
		{"2024-02-01T08:00:00", time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC), now},
		{"2024-02-01", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), now},
	}
	for _, tc := range tests {
		w, err := parseTimespan(tc.in, now)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if !w.from.Equal(tc.from) || !w.to.Equal(tc.to) {
			t.Errorf("%q: got %v, want %v/%v", tc.in, w, tc.from, tc.to)
		}
	}
}

func TestParseTimespanRejects(t *testing.T) {
	now := time.Date(2024, 2, 15, 8, 0, 0, 0, time.UTC)
	for _, in := range []string{
		"P", "PT", "P1H", "PT1D", "P1.5Y", "P1D2W", "PT1S1M", "P-1D", "P1DT", "PD", "P1",
		"30D", "yesterday", "2024-13-01T00:00:00Z",
		"P1D/P2D", "a/b/c", "2024-02-01T00:00:00Z/2024-02-01T00:00:00Z/P1D",
		"2024-02-10T00:00:00Z/2024-02-01T00:00:00Z", // start after end
		"2030-01-01T00:00:00Z",                      // start after now
		"P100000000D",                               // overflows
	} {
		if w, err := parseTimespan(in, now); err == nil {
			t.Errorf("%q: accepted as %v", in, w)
		}
	}
}
