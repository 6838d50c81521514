package defender

import (
	"slices"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// TestReorderer feeds rows sorted as Defender sorts them (timestamp ticks,
// then process id) and checks that they come out in Postgres order, where
// timestamps in one microsecond are equal and the process id decides.
func TestReorderer(t *testing.T) {
	rows := []struct{ ts, pid, id string }{
		{`"2026-01-01T00:00:00.0000001Z"`, `9`, "a"},
		{`"2026-01-01T00:00:00.0000004Z"`, `null`, "b"}, // stored .000000 too
		{`"2026-01-01T00:00:00.0000004Z"`, `3`, "c"},
		{`"2026-01-01T00:00:00.0000006Z"`, `1`, "d"}, // rounds up to .000001
		{`"2026-01-01T00:00:00.0000012Z"`, `0`, "e"}, // .000001 as well
		{`"2026-01-01T00:00:00.0000030Z"`, `5`, "f"},
	}
	keys := []kql.Order{{Column: "Timestamp", Type: schema.DateTime}, {Column: "ProcessId", Type: schema.Long}}
	var got []string
	r := newReorderer(processTable(), keys, func(row hunting.Row) error {
		got = append(got, strings.Trim(row.Value("id"), `"`))
		return nil
	})
	for _, x := range rows {
		row, err := hunting.ParseRow(`{"Timestamp":` + x.ts + `,"ProcessId":` + x.pid + `,"id":"` + x.id + `"}`)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.add(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.flush(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"c", "a", "b", "e", "d", "f"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// TestCompareValues checks Postgres order: NULL above everything, NaN
// above every number, false before true.
func TestCompareValues(t *testing.T) {
	nan := func() float64 { var z float64; return z / z }()
	ordered := [][]any{
		{int64(-5), int64(0), int64(7), nil},
		{-1.5, 0.0, 2.25, nan, nil},
		{false, true, nil},
	}
	for _, vs := range ordered {
		for i := range vs {
			for j := range vs {
				want := 0
				if i < j {
					want = -1
				} else if i > j {
					want = 1
				}
				if got := compareValues(vs[i], vs[j]); got != want {
					t.Errorf("compare(%v, %v) = %d, want %d", vs[i], vs[j], got, want)
				}
			}
		}
	}
}
