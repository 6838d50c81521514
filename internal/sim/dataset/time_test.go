package dataset

import (
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

func TestTimeColumnsWithinWindow(t *testing.T) {
	d := newTest(t)
	lo, recent := testNow.Add(-90*24*time.Hour), testNow.Add(-30*24*time.Hour)
	var total, old, subMicro int
	for _, st := range schema.Tables() {
		if st.TimeColumn == "" {
			continue
		}
		seen := map[time.Time]int{}
		for i, r := range scan(t, d, st.Name) {
			ts, ok := r[st.TimeColumn].(time.Time)
			if !ok {
				t.Fatalf("%s row %d: %s is %T", st.Name, i, st.TimeColumn, r[st.TimeColumn])
			}
			if ts.Before(lo) || ts.After(testNow) {
				t.Errorf("%s row %d: %s = %v outside [Now-90d, Now]", st.Name, i, st.TimeColumn, ts)
			}
			total++
			if ts.Before(recent) {
				old++
			}
			if ts.Nanosecond()%1000 != 0 {
				subMicro++
			}
			seen[ts]++
		}
		if st.Name == "DeviceProcessEvents" {
			dup := 0
			for _, n := range seen {
				if n > 1 {
					dup++
				}
			}
			if dup == 0 {
				t.Error("DeviceProcessEvents: no two rows share a timestamp")
			}
		}
	}
	// About 5% of rows are older than 30 days.
	if frac := float64(old) / float64(total); frac < 0.02 || frac > 0.10 {
		t.Errorf("%.3f of %d time values are older than 30 days, want about 0.05", frac, total)
	}
	// 100 ns precision: most values carry digits below the microsecond.
	if subMicro < total/2 {
		t.Errorf("only %d of %d time values use sub-microsecond digits", subMicro, total)
	}
}
