package hunting

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// tiedRows makes n rows one second apart (with a fractional part, to
// exercise 100 ns precision) starting at base; each [first, last] range in
// ties shares the timestamp of its first row.
func tiedRows(n int, base time.Time, ties ...[2]int) []fakeRow {
	rows := make([]fakeRow, n)
	for i := range rows {
		rows[i] = fakeRow{ID: i, TS: base.Add(time.Duration(i)*time.Second + 1234500*time.Nanosecond)}
	}
	for _, g := range ties {
		for i := g[0]; i <= g[1]; i++ {
			rows[i].TS = rows[g[0]].TS
		}
	}
	return rows
}

func lowerOf(t *testing.T, r recorded) string {
	t.Helper()
	if !r.Spec.LowerInc {
		t.Errorf("lower bound %q is not inclusive", r.Spec.Lower)
	}
	return r.Spec.Lower
}

func upperOf(t *testing.T, r recorded) string {
	t.Helper()
	if !r.Spec.UpperInc {
		t.Errorf("upper bound %q is not inclusive", r.Spec.Upper)
	}
	return r.Spec.Upper
}

var threeTies = [][2]int{{95, 104}, {148, 153}, {190, 199}}

func testBase() time.Time { return time.Now().UTC().Add(-10 * 24 * time.Hour).Truncate(time.Second) }

func TestKeysetAscWithTiesAcrossCuts(t *testing.T) {
	rows := tiedRows(250, testBase(), threeTies...)
	f := newFake(t, rows, 100)
	c := f.client(t, Config{}, nil)
	ids, times, st, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 250)
	checkSorted(t, times, Asc)
	// Page 1 holds rows 0..99 and keeps back the tie group starting at 95;
	// page 2 resumes at row 95, holds 95..194 and keeps back the group at
	// 190; page 3 has the last 60 rows.
	calls := f.recorded()
	if len(calls) != 3 || st.Calls != 3 || st.Splits != 2 {
		t.Fatalf("calls %d (stats %d), splits %d; want 3, 3, 2", len(calls), st.Calls, st.Splits)
	}
	want := []string{"", fmtTS(rows[95].TS), fmtTS(rows[190].TS)}
	for i, call := range calls {
		if got := call.Spec.Lower; got != want[i] || (got != "" && !call.Spec.LowerInc) {
			t.Errorf("call %d lower bound %q (inclusive %v), want %q inclusive", i, got, call.Spec.LowerInc, want[i])
		}
		if call.Spec.Take != 100 || call.Spec.Order != "asc" {
			t.Errorf("call %d take %d order %s", i, call.Spec.Take, call.Spec.Order)
		}
	}
	if st.Rows != 250 {
		t.Errorf("Stats.Rows = %d", st.Rows)
	}
}

func fmtTS(t time.Time) string { return t.Format(time.RFC3339Nano) }

func TestKeysetDesc(t *testing.T) {
	rows := tiedRows(250, testBase(), threeTies...)
	f := newFake(t, rows, 100)
	c := f.client(t, Config{}, nil)
	ids, times, st, err := collect(t, c, Request{Render: renderSpec(Slice{}, Desc), TimeColumn: "Timestamp", Order: Desc})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 250)
	checkSorted(t, times, Desc)
	// Page 1: rows 249..150, the last of them in the group 148..153 that is
	// kept back; page 2 resumes at that group: 153..54; page 3: 54..0.
	calls := f.recorded()
	if len(calls) != 3 || st.Splits != 2 {
		t.Fatalf("calls %d, splits %d; want 3, 2", len(calls), st.Splits)
	}
	if got := upperOf(t, calls[1]); got != fmtTS(rows[148].TS) {
		t.Errorf("call 2 upper %q, want %q", got, fmtTS(rows[148].TS))
	}
	if got := upperOf(t, calls[2]); got != fmtTS(rows[54].TS) {
		t.Errorf("call 3 upper %q, want %q", got, fmtTS(rows[54].TS))
	}
}

func TestMoreTiesThanRowCapFails(t *testing.T) {
	rows := tiedRows(150, testBase(), [2]int{0, 149})
	f := newFake(t, rows, 100)
	c := f.client(t, Config{}, nil)
	ids, _, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc})
	if err == nil || !strings.Contains(err.Error(), "share one Timestamp value") {
		t.Fatalf("err = %v", err)
	}
	if len(ids) != 0 || len(f.recorded()) != 1 {
		t.Errorf("%d rows, %d calls; want 0, 1", len(ids), len(f.recorded()))
	}
}

func TestLimitBelowCapIsOneCall(t *testing.T) {
	f := newFake(t, tiedRows(250, testBase(), threeTies...), 100)
	c := f.client(t, Config{}, nil)
	ids, _, st, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("ids %v", ids)
	}
	calls := f.recorded()
	if len(calls) != 1 || calls[0].Spec.Take != 10 || st.Rows != 10 {
		t.Errorf("%d calls, take %d, rows %d; want 1, 10, 10", len(calls), calls[0].Spec.Take, st.Rows)
	}
}

func TestLimitAboveCapAsksForRemainder(t *testing.T) {
	f := newFake(t, tiedRows(250, testBase(), threeTies...), 100)
	c := f.client(t, Config{}, nil)
	ids, _, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc, Limit: 140})
	if err != nil {
		t.Fatal(err)
	}
	// Page 1 asks for a full page of 100, emits rows 0..94 (95 rows) and
	// keeps back 95..99; page 2 asks for the remaining 45 rows from row 95
	// on.
	slices.Sort(ids)
	want := make([]int, 140)
	for i := range want {
		want[i] = i
	}
	if !slices.Equal(ids, want) {
		t.Errorf("ids %v", ids)
	}
	calls := f.recorded()
	if len(calls) != 2 || calls[0].Spec.Take != 100 || calls[1].Spec.Take != 45 {
		t.Fatalf("calls %+v", calls)
	}
}

func TestErrStopEndsWithoutError(t *testing.T) {
	f := newFake(t, tiedRows(50, testBase()), 100)
	c := f.client(t, Config{}, nil)
	n := 0
	st, err := c.Run(context.Background(), Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc},
		func(Row) error {
			if n++; n == 6 {
				return ErrStop
			}
			return nil
		})
	if err != nil || st.Rows != 5 {
		t.Fatalf("err %v, rows %d; want nil, 5", err, st.Rows)
	}
	boom := errors.New("boom")
	_, err = c.Run(context.Background(), Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc},
		func(Row) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the emit error", err)
	}
}

func TestResultSizeBisection(t *testing.T) {
	for _, order := range []Order{Asc, Desc} {
		t.Run(order.String(), func(t *testing.T) {
			base := testBase()
			f := newFake(t, tiedRows(200, base, [2]int{40, 60}), 100)
			f.maxMatch = 80
			window := Slice{Lower: &Bound{Time: base, Inclusive: true}, Upper: &Bound{Time: base.Add(200 * time.Second)}}
			c := f.client(t, Config{}, nil)
			ids, times, st, err := collect(t, c, Request{Render: renderSpec(window, order), TimeColumn: "Timestamp", Order: order, Window: window})
			if err != nil {
				t.Fatal(err)
			}
			checkOnce(t, ids, 200)
			checkSorted(t, times, order)
			// 200 rows split into 100 + 100, each again into 50 + 50.
			if st.Splits != 3 || st.Calls != 7 {
				t.Errorf("splits %d calls %d, want 3 and 7", st.Splits, st.Calls)
			}
		})
	}
}

func TestResultSizeBisectionUnboundedWindow(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	rows := make([]fakeRow, 300)
	for i := range rows { // spread over the last 29 days
		rows[i] = fakeRow{ID: i, TS: now.Add(-29*24*time.Hour + time.Duration(i)*2*time.Hour + 700*time.Nanosecond)}
	}
	// Rows older than 30 days (kept by Sentinel) are outside the default
	// window, so no page may return them.
	for i := range 20 {
		rows = append(rows, fakeRow{ID: 300 + i, TS: now.Add(-60*24*time.Hour + time.Duration(i)*time.Hour)})
	}
	f := newFake(t, rows, 1000)
	f.now = now
	f.maxMatch = 70
	c := f.client(t, Config{}, nil)
	ids, times, st, err := collect(t, c, Request{Render: renderSpec(Slice{}, Desc), TimeColumn: "Timestamp", Order: Desc})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 300)
	checkSorted(t, times, Desc)
	if st.Splits == 0 {
		t.Error("no splits counted")
	}
	// A request without a lower bound starts at the run's floor, 30 days
	// before now, padded by a second; the lower halves of splits included.
	floor := now.Add(-30*24*time.Hour - time.Second).Format(time.RFC3339)
	floored := 0
	for _, call := range f.recorded() {
		if call.Spec.Lower != "" {
			continue
		}
		floored++
		if !strings.HasPrefix(call.Timespan, floor+"/") && call.Timespan != floor {
			t.Errorf("Timespan %q does not start at %s", call.Timespan, floor)
		}
	}
	if floored < 2 {
		t.Errorf("only %d requests without a lower bound", floored)
	}
}

func TestNoTimeColumnLimits(t *testing.T) {
	f := newFake(t, tiedRows(120, testBase()), 100)
	c := f.client(t, Config{}, nil)
	_, _, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc)})
	if err == nil || !strings.Contains(err.Error(), "100-row cap") || !strings.Contains(err.Error(), "Add filters") {
		t.Fatalf("err = %v", err)
	}
	f.maxMatch = 50
	_, _, _, err = collect(t, c, Request{Render: renderSpec(Slice{}, Asc)})
	if err == nil || !strings.Contains(err.Error(), "too large") || !strings.Contains(err.Error(), "HTTP 400") {
		t.Fatalf("err = %v", err)
	}
}

func TestMidStreamBreakResumes(t *testing.T) {
	f := newFake(t, tiedRows(250, testBase(), threeTies...), 100)
	f.breakAfter = func(n int) int {
		if n == 0 || n == 2 {
			return 30
		}
		return -1
	}
	c := f.client(t, Config{}, nil)
	ids, times, st, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 250)
	checkSorted(t, times, Asc)
	if st.Retries != 2 {
		t.Errorf("retries %d, want 2", st.Retries)
	}
	calls := f.recorded()
	// The break after 30 rows emits rows 0..28 and keeps back row 29, so
	// the retry starts at row 29.
	if got := lowerOf(t, calls[1]); got != fmtTS(f.rows[29].TS) {
		t.Errorf("resumed at %q, want row 29's time", got)
	}
}

func TestMidStreamBreakWithoutTimeColumnFails(t *testing.T) {
	f := newFake(t, tiedRows(50, testBase()), 100)
	f.breakAfter = func(int) int { return 10 }
	c := f.client(t, Config{}, nil)
	ids, _, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc)})
	if err == nil || !strings.Contains(err.Error(), "broke off after 10 rows") || !strings.Contains(err.Error(), "no time column") {
		t.Fatalf("err = %v", err)
	}
	if len(ids) != 10 {
		t.Errorf("%d rows emitted", len(ids))
	}
}

// TestRandomPaging checks exactly-once delivery over random tables, caps,
// orders, limits and broken responses.
func TestRandomPaging(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	base := testBase()
	for iter := range 40 {
		n := rng.IntN(400)
		rows := make([]fakeRow, n)
		ts := base
		for i := range rows {
			if rng.IntN(3) > 0 { // a third of the rows tie with the previous one
				ts = ts.Add(time.Duration(rng.IntN(20000)+1) * 100 * time.Nanosecond)
			}
			rows[i] = fakeRow{ID: i, TS: ts}
		}
		rowCap := 5 + rng.IntN(60)
		order := []Order{Asc, Desc}[rng.IntN(2)]
		var limit int64
		if rng.IntN(2) == 0 {
			limit = int64(rng.IntN(n + 10))
		}
		f := newFake(t, rows, rowCap)
		breaks := rng.IntN(2) == 0
		f.breakAfter = func(call int) int {
			if breaks && call%2 == 0 {
				return 1 + call%7
			}
			return -1
		}
		c := f.client(t, Config{}, nil)
		ids, times, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, order), TimeColumn: "Timestamp", Order: order, Limit: limit})
		if err != nil {
			// Only a tie group wider than the cap may fail.
			if !strings.Contains(err.Error(), "share one") {
				t.Fatalf("iter %d: %v", iter, err)
			}
			continue
		}
		want := n
		if limit > 0 && int(limit) < n {
			want = int(limit)
		}
		checkOnce(t, ids, want)
		checkSorted(t, times, order)
		if want < n && want > 0 {
			// Every row strictly before the last emitted time must be there.
			ref := slices.Clone(rows)
			slices.SortStableFunc(ref, func(a, b fakeRow) int {
				if order == Desc {
					return b.TS.Compare(a.TS)
				}
				return a.TS.Compare(b.TS)
			})
			edge := ref[want-1].TS
			got := map[int]bool{}
			for _, id := range ids {
				got[id] = true
			}
			for _, r := range ref {
				if !r.TS.Equal(edge) && (r.TS.Before(edge) == (order == Asc)) && !got[r.ID] {
					t.Fatalf("iter %d: row %d before the limit edge is missing", iter, r.ID)
				}
			}
		}
	}
}

func TestUnpageableResultIsAClearError(t *testing.T) {
	f := newFake(t, nil, 100)
	f.fault = failFirst(1, 200, nil, `{"results":[{"Timestamp":"2026-01-02T00:00:00Z"},{"Timestamp":"2026-01-01T00:00:00Z"}]}`)
	c := f.client(t, Config{}, nil)
	_, _, _, err := collect(t, c, timeRequest())
	var herr *Error
	if !errors.As(err, &herr) || !strings.Contains(err.Error(), "not sorted by Timestamp asc") || !strings.Contains(err.Error(), "Query: ") {
		t.Fatalf("err = %v", err)
	}
	f.fault = failFirst(2, 200, nil, `{"results":[{"Id":1}]}`)
	_, _, _, err = collect(t, c, timeRequest())
	if err == nil || !strings.Contains(err.Error(), "must return the time column") {
		t.Fatalf("err = %v", err)
	}
}

// TestPagesGrowFromFirstPage checks that a run wanting every row starts
// with a small page and makes each later page ten times larger, up to
// RowCap, resuming exactly where the previous page's last time group began.
func TestPagesGrowFromFirstPage(t *testing.T) {
	rows := tiedRows(250, testBase())
	f := newFake(t, rows, 1000)
	c := f.client(t, Config{FirstPage: 10}, nil)
	ids, times, st, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 250)
	checkSorted(t, times, Asc)
	// Page 1 (take 10) emits rows 0..8 and keeps back row 9; page 2 (take
	// 100) resumes at row 9, emits 9..107 and keeps back 108; page 3 (take
	// 1000) returns the last 142 rows.
	calls := f.recorded()
	if len(calls) != 3 || st.Splits != 2 {
		t.Fatalf("calls %d, splits %d; want 3, 2", len(calls), st.Splits)
	}
	wantTake := []int64{10, 100, 1000}
	wantLower := []string{"", fmtTS(rows[9].TS), fmtTS(rows[108].TS)}
	for i, call := range calls {
		if call.Spec.Take != wantTake[i] || call.Spec.Lower != wantLower[i] {
			t.Errorf("call %d: take %d lower %q; want %d, %q", i, call.Spec.Take, call.Spec.Lower, wantTake[i], wantLower[i])
		}
	}
}

// TestEarlyStopCostsOneSmallPage checks that a reader who stops after a
// few rows, as Postgres does when it applies a LIMIT itself, costs one
// call for a first page, not a full one.
func TestEarlyStopCostsOneSmallPage(t *testing.T) {
	f := newFake(t, tiedRows(250, testBase()), 1000)
	c := f.client(t, Config{FirstPage: 10}, nil)
	n := 0
	_, err := c.Run(context.Background(), Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc}, func(Row) error {
		n++
		if n == 5 {
			return ErrStop
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.recorded()
	if len(calls) != 1 || calls[0].Spec.Take != 10 {
		t.Fatalf("%d calls (first take %d); want 1 call with take 10", len(calls), calls[0].Spec.Take)
	}
}

// TestTieGroupLargerThanPageGrowsThePage checks that a page holding only
// one group of equal times is asked for again with a larger page, not
// reported as a group too large to page.
func TestTieGroupLargerThanPageGrowsThePage(t *testing.T) {
	rows := tiedRows(60, testBase(), [2]int{0, 29})
	f := newFake(t, rows, 1000)
	c := f.client(t, Config{FirstPage: 10}, nil)
	ids, _, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc})
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 60)
	calls := f.recorded()
	if len(calls) != 2 || calls[0].Spec.Take != 10 || calls[1].Spec.Take != 100 || calls[1].Spec.Lower != fmtTS(rows[0].TS) {
		t.Fatalf("calls %+v; want take 10, then take 100 from the group's time", calls)
	}
}

// TestUpperBoundAloneKeepsDefaultFloor checks that a query with only an
// upper time bound searches from Defender's default floor, 30 days before
// now, and not from 30 days before the bound: a condition must never
// reach rows the same query without it would not see.
func TestUpperBoundAloneKeepsDefaultFloor(t *testing.T) {
	before := time.Now().UTC()
	rows := tiedRows(5, testBase())
	f := newFake(t, rows, 1000)
	c := f.client(t, Config{}, nil)
	up := &Bound{Time: before.Add(-10 * 24 * time.Hour).Truncate(time.Second), Inclusive: true}
	w := Slice{Upper: up}
	if _, _, _, err := collect(t, c, Request{Render: renderSpec(w, Asc), TimeColumn: "Timestamp", Order: Asc, Window: w}); err != nil {
		t.Fatal(err)
	}
	calls := f.recorded()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	start, end, ok := strings.Cut(calls[0].Timespan, "/")
	if !ok {
		t.Fatalf("Timespan %q has no end", calls[0].Timespan)
	}
	st, err := time.Parse(time.RFC3339, start)
	if err != nil {
		t.Fatal(err)
	}
	floor := before.Add(-30 * 24 * time.Hour)
	if st.Before(floor.Add(-2*time.Second)) || st.After(floor.Add(2*time.Second)) {
		t.Errorf("Timespan starts at %s, want about %s (30 days before now)", start, floor.Format(time.RFC3339))
	}
	if end != up.Time.Add(time.Second).Format(time.RFC3339) {
		t.Errorf("Timespan ends at %s, want %s", end, up.Time.Add(time.Second).Format(time.RFC3339))
	}
}

// TestUpperBoundBeforeFloorMakesNoCall checks that an upper bound older
// than the default floor, with no lower bound, matches nothing and costs
// no call.
func TestUpperBoundBeforeFloorMakesNoCall(t *testing.T) {
	f := newFake(t, tiedRows(5, testBase()), 1000)
	c := f.client(t, Config{}, nil)
	w := Slice{Upper: &Bound{Time: time.Now().Add(-40 * 24 * time.Hour), Inclusive: true}}
	ids, _, _, err := collect(t, c, Request{Render: renderSpec(w, Asc), TimeColumn: "Timestamp", Order: Asc, Window: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 0 || len(f.recorded()) != 0 {
		t.Fatalf("%d rows, %d calls; want 0, 0", len(ids), len(f.recorded()))
	}
}

// TestOneCall checks a request sorted by more than the time column: the
// rows come from one call, emitted as they arrive (here in descending time
// order while Order is unset), and whatever would need a second call fails
// with the request's hint.
func TestOneCall(t *testing.T) {
	const hint = "Add a LIMIT"
	req := func(limit int64) Request {
		return Request{Render: renderSpec(Slice{}, Desc), TimeColumn: "Timestamp", OneCall: true, OneCallHint: hint, Limit: limit}
	}
	f := newFake(t, tiedRows(250, testBase(), threeTies...), 100)
	c := f.client(t, Config{}, nil)
	ids, times, st, err := collect(t, c, req(40))
	if err != nil {
		t.Fatal(err)
	}
	checkSorted(t, times, Desc)
	if len(ids) != 40 || st.Calls != 1 || f.recorded()[0].Spec.Take != 40 {
		t.Errorf("%d rows in %d calls, take %d; want 40 rows in one call of take 40", len(ids), st.Calls, f.recorded()[0].Spec.Take)
	}
	for _, limit := range []int64{0, 150} {
		before := len(f.recorded())
		_, _, _, err = collect(t, c, req(limit))
		if err == nil || !strings.Contains(err.Error(), "100-row cap") || !strings.Contains(err.Error(), hint) {
			t.Fatalf("limit %d: err = %v", limit, err)
		}
		if calls := len(f.recorded()) - before; calls != 1 {
			t.Errorf("limit %d: %d calls, want 1", limit, calls)
		}
	}

	f = newFake(t, tiedRows(90, testBase()), 100)
	c = f.client(t, Config{}, nil)
	ids, _, _, err = collect(t, c, req(0))
	if err != nil || len(ids) != 90 {
		t.Fatalf("%d rows, err %v; want all 90", len(ids), err)
	}
	f.maxMatch = 50
	_, _, _, err = collect(t, c, req(0))
	if err == nil || !strings.Contains(err.Error(), "too large") || !strings.Contains(err.Error(), hint) {
		t.Fatalf("err = %v", err)
	}
	f.maxMatch = 0
	f.breakAfter = func(int) int { return 10 }
	ids, _, _, err = collect(t, c, req(0))
	if err == nil || !strings.Contains(err.Error(), "broke off after 10 rows") || !strings.Contains(err.Error(), "sorted by more than the time column") {
		t.Fatalf("err = %v", err)
	}
	if len(ids) != 10 {
		t.Errorf("%d rows emitted", len(ids))
	}
}

// TestCancelledScanFreesItsSlot checks that a scan whose consumer is stuck
// for good after its context ends (as the SDK's StreamListItem is once
// nobody reads its rows) does not keep its concurrency slot: the next
// query of the connection still runs.
func TestCancelledScanFreesItsSlot(t *testing.T) {
	f := newFake(t, tiedRows(50, testBase()), 1000)
	c := f.client(t, Config{MaxConcurrent: 1}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	stuck := make(chan struct{})
	go c.Run(ctx, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc}, func(Row) error {
		cancel()
		<-stuck // never returns during the test
		return nil
	})
	defer close(stuck)
	<-ctx.Done()

	done := make(chan error, 1)
	go func() {
		_, _, _, err := collect(t, c, Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the next query waited for the slot of the cancelled one")
	}
}
