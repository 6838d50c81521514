package hunting

import (
	"strings"
	"testing"
	"time"
)

// A latest-per-group result is not split when too large: a narrower
// window would change which row of a group is the latest.
func TestLatestTooLargeIsNotSplit(t *testing.T) {
	base := testBase()
	f := newFake(t, tiedRows(200, base, [2]int{40, 60}), 100)
	f.maxMatch = 80
	window := Slice{Lower: &Bound{Time: base, Inclusive: true}, Upper: &Bound{Time: base.Add(200 * time.Second)}}
	c := f.client(t, Config{}, nil)
	_, _, st, err := collect(t, c, Request{
		Render: renderSpec(window, Asc), TimeColumn: "Timestamp", Order: Asc, Window: window,
		Latest: true, TooLargeHint: "Add filters to defender_device",
	})
	if err == nil || !strings.Contains(err.Error(), "Add filters to defender_device") {
		t.Fatalf("error %v, want the hint", err)
	}
	if st.Splits != 0 || st.Calls != 1 {
		t.Errorf("splits %d calls %d, want 0 and 1", st.Splits, st.Calls)
	}
}

// Every page of a latest-per-group run sends the whole window as its
// Timespan: the page bounds apply to the summarized rows only.
func TestLatestPagesKeepTheWindowTimespan(t *testing.T) {
	base := testBase()
	f := newFake(t, tiedRows(300, base, [2]int{40, 60}), 100)
	window := Slice{Lower: &Bound{Time: base, Inclusive: true}, Upper: &Bound{Time: base.Add(300 * time.Second)}}
	c := f.client(t, Config{}, nil)
	ids, _, st, err := collect(t, c, Request{Render: renderSpec(window, Asc), TimeColumn: "Timestamp", Order: Asc, Window: window, Latest: true})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 300)
	want := Timespan(window, f.now)
	for _, call := range f.recorded() {
		if call.Timespan != want {
			t.Errorf("Timespan %q, want the window's %q", call.Timespan, want)
		}
	}
	if st.Calls < 2 {
		t.Errorf("%d calls: the test needs paging", st.Calls)
	}
}
