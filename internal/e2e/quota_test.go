package e2e

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// bigRows is the DeviceProcessEvents size of the row-cap test: about 95 %
// of the rows fall in the last 30 days, enough for a 250,000-row window.
const (
	bigRows   = 265_000
	bigWindow = 250_000
)

// refRow is one DeviceProcessEvents row as the simulator holds it.
type refRow struct {
	t   time.Time
	key string
}

// referenceRows reads every DeviceProcessEvents row of s straight from its
// data set, sorted by time.
func referenceRows(t *testing.T, s *sim.Server) []refRow {
	t.Helper()
	tbl, ok := s.Data().Table("DeviceProcessEvents")
	if !ok {
		t.Fatal("simulator has no DeviceProcessEvents")
	}
	idx := map[string]int{}
	for i, c := range tbl.Columns {
		idx[c.Name] = i
	}
	var out []refRow
	var bad error
	tbl.Scan(func(v []engine.Value) bool {
		ts, ok1 := v[idx["Timestamp"]].(time.Time)
		rep, ok2 := v[idx["ReportId"]].(int64)
		if v[idx["ReportId"]] == nil {
			rep, ok2 = 0, true // SQL NULL (one row in 64): ProcessId tells such rows apart
		}
		if !ok1 || !ok2 {
			bad = fmt.Errorf("row %d: Timestamp %T, ReportId %T", len(out), v[idx["Timestamp"]], v[idx["ReportId"]])
			return false
		}
		pid, _ := v[idx["ProcessId"]].(int64)
		out = append(out, refRow{t: ts, key: rowIdentity(ts, text(v[idx["DeviceId"]]), rep, pid)})
		return true
	})
	if bad != nil {
		t.Fatal(bad)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].t.Before(out[j].t) })
	seen := make(map[string]bool, len(out))
	for _, r := range out {
		if seen[r.key] {
			t.Fatalf("row identity %s is not unique in the simulator's data", r.key)
		}
		seen[r.key] = true
	}
	return out
}

// text renders a simulator string or GUID; empty is what SQL NULL maps to.
func text(v engine.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case engine.GUID:
		return string(x)
	}
	return ""
}

// exactWindow picks bounds [lower, upper) on microsecond values (what a SQL
// timestamp carries, compared with the value Postgres stores for each row) that hold exactly n rows of the sorted rows, none of
// them older than 30 days. It returns the bounds and the rows inside.
func exactWindow(t *testing.T, rows []refRow, n int) (time.Time, time.Time, []refRow) {
	t.Helper()
	first := sort.Search(len(rows), func(i int) bool { return !rows[i].t.Before(simNow.Add(-30 * 24 * time.Hour)) })
	for k := max(first, 1); k+n < len(rows); k++ {
		lower := pgtime.Stored(rows[k-1].t).Add(time.Microsecond)
		upper := pgtime.Stored(rows[k+n-1].t).Add(time.Microsecond)
		if !pgtime.Stored(rows[k].t).Before(lower) && !pgtime.Stored(rows[k+n].t).Before(upper) {
			return lower, upper, rows[k : k+n]
		}
	}
	t.Fatalf("no window of %d rows among %d rows from %d on", n, len(rows), first)
	return time.Time{}, time.Time{}, nil
}

// TestQuotaRowCapComplete scans a window of exactly 250,000 matching rows
// through a simulator that cuts every response at 100,000 rows: every row
// must come back exactly once, and the calls must each stay within the cap.
// Then ORDER BY timestamp DESC LIMIT 50 over the same window must cost one
// call and return the 50 latest rows.
func TestQuotaRowCapComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("250,000-row scan")
	}
	s := startSim(t, sim.Config{}, bigRows)
	p := startPlugin(t, []*sim.Server{s}, Connection{Name: "big", Config: connConfig(s)})
	lower, upper, want := exactWindow(t, referenceRows(t, s), bigWindow)
	quals := []Qual{{Column: "timestamp", Op: ">=", Value: lower}, {Column: "timestamp", Op: "<", Value: upper}}
	cols := []string{"timestamp", "device_id", "report_id", "process_id"}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	got := make(map[string]int, bigWindow)
	n := 0
	started := time.Now()
	err := p.Stream(ctx, Scan{Table: procTable, Connections: []string{"big"},
		Columns: cols, Quals: quals, Limit: -1}, func(pr *proto.Row) error {
		r, err := fromProto(pr)
		if err != nil {
			return err
		}
		ts, _ := r["timestamp"].(time.Time)
		dev, _ := r["device_id"].(string)
		rep, _ := r["report_id"].(int64)
		pid, _ := r["process_id"].(int64)
		got[rowIdentity(ts, dev, rep, pid)]++
		n++
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, tail(p.Log(), 3000))
	}
	calls := s.Calls()
	t.Logf("%d rows in %s over %d calls (%s)", n, time.Since(started).Round(time.Millisecond), len(calls), statuses(calls))
	for i, c := range calls {
		t.Logf("call %d: %d rows, %d bytes, served in %s: %s", i, c.Rows, c.Bytes, c.Duration.Round(time.Millisecond), c.Query)
	}

	if n != bigWindow {
		t.Errorf("got %d rows, want %d", n, bigWindow)
	}
	for k, c := range got {
		if c > 1 {
			t.Fatalf("row %s returned %d times", k, c)
		}
	}
	for _, r := range want {
		if got[r.key] == 0 {
			t.Fatalf("row %s (%d rows expected) is missing", r.key, len(want))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d distinct rows, want %d", len(got), len(want))
	}

	// With no LIMIT, pages grow from 1,000 rows tenfold up to the 100,000
	// cap: 1,000 + 10,000 + 100,000 + 100,000 + the rest, each page
	// re-reading the previous page's last group of equal times: five
	// calls; no call is repeated and none is throttled.
	if len(calls) < 5 || len(calls) > 6 {
		t.Fatalf("made %d calls, want 5 (or 6 if page boundaries fell on large timestamp groups): %s", len(calls), statuses(calls))
	}
	for i, c := range calls {
		if c.Status != 200 {
			t.Fatalf("call %d: status %d", i, c.Status)
		}
		if c.Rows > sim.DefaultRowCap {
			t.Fatalf("call %d returned %d rows, over the cap", i, c.Rows)
		}
		checkProjection(t, schema.Lookup("DeviceProcessEvents"), Scan{Columns: cols}, c.Query)
	}
	for i, want := range []int{hunting.DefaultFirstPage, 10 * hunting.DefaultFirstPage, sim.DefaultRowCap, sim.DefaultRowCap} {
		if calls[i].Rows != want || !strings.Contains(calls[i].Query, fmt.Sprintf("take %d", want)) {
			t.Fatalf("call %d returned %d rows for %s; want a full page of %d", i, calls[i].Rows, calls[i].Query, want)
		}
	}

	// ORDER BY timestamp DESC LIMIT 50 over the same window.
	before := len(s.Calls())
	top := mustScan(t, p, Scan{Table: procTable, Connections: []string{"big"}, Columns: cols,
		Quals: quals, Limit: 50, Sort: []*proto.SortColumn{{Column: "timestamp", Order: proto.SortOrder_Desc}}}, 2*time.Minute)
	if c := callsSince(s, before); len(c) != 1 {
		t.Fatalf("ORDER BY timestamp DESC LIMIT 50 made %d calls, want 1: %v", len(c), callQueries(c))
	} else if !strings.Contains(c[0].Query, "take 50") || c[0].Rows != 50 {
		t.Fatalf("the call returned %d rows for %s", c[0].Rows, c[0].Query)
	}
	if len(top) != 50 {
		t.Fatalf("got %d rows, want 50", len(top))
	}
	latest := map[string]bool{}
	for _, r := range want[len(want)-60:] {
		latest[r.key] = true
	}
	for i, r := range top {
		ts, _ := r["timestamp"].(time.Time)
		dev, _ := r["device_id"].(string)
		rep, _ := r["report_id"].(int64)
		pid, _ := r["process_id"].(int64)
		key := rowIdentity(ts, dev, rep, pid)
		if !latest[key] {
			t.Fatalf("row %d (%s) is not among the latest rows of the window", i, key)
		}
		delete(latest, key) // a second copy would fail above
		if wantT := pgtime.Stored(want[len(want)-1-i].t); !ts.Equal(wantT) {
			t.Fatalf("row %d has timestamp %s, want %s", i, ts.Format(time.RFC3339Nano), wantT.Format(time.RFC3339Nano))
		}
	}
}

// TestQuotaRateLimitRetryAfter lets the simulator allow 3 calls a minute:
// the fourth scan gets a 429 whose Retry-After (2 seconds, because the
// simulator clock is moved 58 seconds on) the plugin waits out, then it
// succeeds.
func TestQuotaRateLimitRetryAfter(t *testing.T) {
	clock := newSimClock()
	s := startSim(t, sim.Config{Now: clock.Now}, 500)
	s.Faults().SetRateLimit(3)
	p := startPlugin(t, []*sim.Server{s}, Connection{Name: "rl", Config: connConfig(s, `max_throttle_wait = "30s"`)})
	for range 3 {
		if rows := mustScan(t, p, oneRowScan("rl"), time.Minute); len(rows) != 1 {
			t.Fatalf("got %d rows, want 1", len(rows))
		}
	}
	clock.Advance(58 * time.Second)
	before := len(s.Calls())
	started := time.Now()
	rows := mustScan(t, p, oneRowScan("rl"), time.Minute)
	took := time.Since(started)
	calls := callsSince(s, before)
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("calls: %s, want 429,200", statuses(calls))
	}
	if took < time.Second || took > 20*time.Second {
		t.Fatalf("the throttled scan took %s; it should wait about the 2-second Retry-After", took)
	}
	if !strings.Contains(p.Log(), "throttled, waiting") {
		t.Fatalf("the plugin did not log the wait:\n%s", tail(p.Log(), 2000))
	}
}

// TestQuotaGatewayTimeoutRetried makes the next call fail with a 504: the
// plugin retries it and returns the rows.
func TestQuotaGatewayTimeoutRetried(t *testing.T) {
	s := startSim(t, sim.Config{}, 500)
	p := startPlugin(t, []*sim.Server{s}, Connection{Name: "gw", Config: connConfig(s)})
	s.Faults().FailNext(504, 1)
	rows := mustScan(t, p, Scan{Table: procTable, Connections: []string{"gw"},
		Columns: []string{"timestamp", "report_id"}, Limit: -1, Quals: []Qual{
			{Column: "timestamp", Op: ">=", Value: simNow.Add(-30 * 24 * time.Hour)},
			{Column: "timestamp", Op: "<=", Value: simNow}}}, time.Minute)
	calls := s.Calls()
	if len(calls) != 2 || calls[0].Status != 504 || calls[0].Fault != "fail" || calls[1].Status != 200 {
		t.Fatalf("calls: %s, want 504,200", statuses(calls))
	}
	if len(rows) != calls[1].Rows || len(rows) < 400 {
		t.Fatalf("got %d rows; the successful call sent %d", len(rows), calls[1].Rows)
	}
}

var retryAtRE = regexp.MustCompile(`work again at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)`)

// TestQuotaCPUExhausted blocks the tenant's CPU quota for ten minutes, far
// beyond max_throttle_wait: the scan must fail at once with an error that
// says the CPU quota is used up and when queries work again.
func TestQuotaCPUExhausted(t *testing.T) {
	s := startSim(t, sim.Config{}, 500)
	p := startPlugin(t, []*sim.Server{s}, Connection{Name: "cpu", Config: connConfig(s, `max_throttle_wait = "5s"`)})
	until := time.Now().Add(10 * time.Minute)
	s.Faults().ExhaustCPU(until)
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := p.Execute(ctx, oneRowScan("cpu"))
	took := time.Since(started)
	if err == nil {
		t.Fatal("the scan succeeded on a tenant whose CPU quota is used up")
	}
	if took > 15*time.Second {
		t.Fatalf("the scan took %s to fail; it must not wait for a CPU quota reset", took)
	}
	msg := err.Error()
	t.Logf("error after %s: %s", took.Round(time.Millisecond), msg)
	if !strings.Contains(msg, "CPU quota") {
		t.Fatalf("error does not name the CPU quota: %s", msg)
	}
	m := retryAtRE.FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("error does not say when queries work again: %s", msg)
	}
	at, _ := time.Parse(time.RFC3339, m[1])
	if d := at.Sub(until); d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("error says queries work again at %s, the quota resets at %s", m[1], until.UTC().Format(time.RFC3339))
	}
	for _, c := range s.Calls() {
		if c.Status != 429 {
			t.Fatalf("calls: %s, want only 429s", statuses(s.Calls()))
		}
	}
	if n := len(s.Calls()); n > 2 {
		t.Fatalf("made %d calls to a CPU-blocked tenant", n)
	}
}

// TestQuotaTenantsIndependent configures two tenants on two simulators as
// the children of one aggregator. Tenant A's quota is used up (one call a
// minute, already spent) and a scan of it waits on the 429; meanwhile
// scans of tenant B run at full speed, and an aggregated scan returns both
// tenants' rows once A's quota is lifted.
func TestQuotaTenantsIndependent(t *testing.T) {
	a := startSim(t, sim.Config{Tenant: "a1a1a1a1-0000-4000-8000-00000000000a"}, 500)
	b := startSim(t, sim.Config{Tenant: "b2b2b2b2-0000-4000-8000-00000000000b"}, 500)
	p := startPlugin(t, []*sim.Server{a, b},
		Connection{Name: "ta", Config: connConfig(a, `max_throttle_wait = "5m"`)},
		Connection{Name: "tb", Config: connConfig(b, `max_throttle_wait = "5m"`)},
		Connection{Name: "both", Children: []string{"ta", "tb"}})
	a.Faults().SetRateLimit(1)
	mustScan(t, p, oneRowScan("ta"), time.Minute)

	// This scan of A is refused with Retry-After 60 and waits.
	ctx, cancel := context.WithCancel(context.Background())
	blocked := make(chan error, 1)
	go func() {
		_, err := p.Execute(ctx, oneRowScan("ta"))
		blocked <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for len(a.Calls()) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the second scan of A never reached the simulator: %s", statuses(a.Calls()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if c := a.Calls()[1]; c.Status != 429 {
		t.Fatalf("A's second call got %d, want 429", c.Status)
	}

	var slowest time.Duration
	for i := range 10 {
		started := time.Now()
		rows := mustScan(t, p, oneRowScan("tb"), time.Minute)
		took := time.Since(started)
		if took > 5*time.Second {
			t.Fatalf("scan %d of B took %s while A was throttled", i, took)
		}
		slowest = max(slowest, took)
		if len(rows) != 1 || rows[0]["tenant_id"] != b.Tenant() {
			t.Fatalf("scan %d of B returned %v", i, rows)
		}
	}
	t.Logf("slowest of ten scans of B while A was throttled: %s", slowest.Round(time.Millisecond))
	select {
	case err := <-blocked:
		t.Fatalf("the throttled scan of A ended while A's quota was used up: %v", err)
	default:
	}
	if bc := b.Calls(); len(bc) != 10 || strings.Count(statuses(bc), "200") != 10 {
		t.Fatalf("B's calls: %s, want ten 200s", statuses(bc))
	}
	cancel()
	<-blocked

	a.Faults().SetRateLimit(0)
	a.Faults().ResetQuotas()
	rows := mustScan(t, p, Scan{Table: procTable, Connections: []string{"ta", "tb"},
		Columns: []string{"timestamp", "report_id", "tenant_id"}, Limit: -1, Quals: []Qual{
			{Column: "timestamp", Op: ">=", Value: simNow.Add(-24 * time.Hour)},
			{Column: "timestamp", Op: "<=", Value: simNow}}}, time.Minute)
	per := map[any]int{}
	for _, r := range rows {
		per[r["tenant_id"]]++
	}
	if per[a.Tenant()] == 0 || per[b.Tenant()] == 0 || len(per) != 2 {
		t.Fatalf("aggregated scan returned rows per tenant %v", per)
	}
}
