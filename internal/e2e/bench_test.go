package e2e

import (
	"cmp"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// BenchmarkRowsAllColumns streams 10,000 and 100,000 rows of every
// DeviceProcessEvents column through a fresh plugin process, and runs the
// same KQL through huntfloor, a client that only decodes the JSON. It
// reports rows/s for both and the peak RSS of both processes. The SDK
// forces a garbage collection and returns memory to the OS every 100
// streamed rows unless STEAMPIPE_FREE_MEM_INTERVAL says otherwise; the
// 100,000-row case also runs with that turned off (0) to show its cost.
//
// With every column 100,000 rows are well over Defender's 50 MiB result
// limit, which would make the plugin split the window; the simulator's
// limit is lifted here so that plugin and floor make the same single call.
func BenchmarkRowsAllColumns(b *testing.B) {
	s := startSim(b, sim.Config{MaxResultBytes: 1 << 30}, 110_000)
	s.Faults().SetRateLimit(0)
	floor := buildFloor(b)
	def := schema.Lookup("DeviceProcessEvents")
	cols := []string{"tenant_id"}
	for i := range def.Columns {
		cols = append(cols, sqlName(&def.Columns[i]))
	}
	window := []Qual{{Column: "timestamp", Op: ">=", Value: simNow.Add(-30 * 24 * time.Hour)},
		{Column: "timestamp", Op: "<=", Value: simNow}}
	for _, bc := range []struct {
		n       int
		freeMem string // STEAMPIPE_FREE_MEM_INTERVAL; "" leaves the SDK default (every 100 rows)
	}{{10_000, ""}, {100_000, ""}, {100_000, "0"}} {
		name := fmt.Sprintf("rows=%d/free_mem=%s", bc.n, cmp.Or(bc.freeMem, "default"))
		n := bc.n
		b.Run(name, func(b *testing.B) {
			if bc.freeMem != "" {
				b.Setenv("STEAMPIPE_FREE_MEM_INTERVAL", bc.freeMem)
			}
			p := startPlugin(b, []*sim.Server{s}, Connection{Name: "bench", Config: connConfig(s)})
			if err := p.SetRateLimiters(fastLimiter); err != nil {
				b.Fatal(err)
			}
			mustScan(b, p, oneRowScan("bench"), time.Minute) // token and connection
			scan := Scan{Table: procTable, Connections: []string{"bench"}, Columns: cols, Quals: window, Limit: int64(n)}
			before := len(s.Calls())
			b.ResetTimer()
			for b.Loop() {
				got := countRows(b, p, scan)
				if got != n {
					b.Fatalf("got %d rows, want %d", got, n)
				}
			}
			secs := b.Elapsed().Seconds()
			b.StopTimer()
			calls := callsSince(s, before)
			if len(calls) != b.N {
				b.Fatalf("made %d calls for %d scans", len(calls), b.N)
			}
			hwm, err := vmHWM(p.client.ReattachConfig().Pid)
			if err != nil {
				b.Fatal(err)
			}
			last := calls[len(calls)-1]
			fr := runFloor(b, floor, s, last.Query, last.Timespan)
			if fr.Rows != n {
				b.Fatalf("floor decoded %d rows, want %d", fr.Rows, n)
			}
			b.ReportMetric(float64(n*b.N)/secs, "rows/s")
			b.ReportMetric(float64(n)/fr.Seconds, "floor-rows/s")
			b.ReportMetric(float64(hwm)/(1<<20), "plugin-peak-RSS-MiB")
			b.ReportMetric(float64(fr.PeakRSS)/(1<<20), "floor-peak-RSS-MiB")
			b.ReportMetric(float64(last.Bytes)/(1<<20), "response-MiB")
		})
	}
}

// hunt is one typical hunting scan of DeviceProcessEvents.
type hunt struct {
	name  string
	cols  []string
	quals []Qual
}

// typicalHunts are five hunts an analyst runs daily, over the simulator's
// demo tenant.
var typicalHunts = []hunt{
	{"encoded-powershell", []string{"timestamp", "device_name", "account_name", "process_command_line"}, []Qual{
		{Column: "file_name", Op: "=", Value: "powershell.exe"},
		{Column: "process_command_line", Op: "~~*", Value: "%-enc%"}}},
	{"one-device-last-day", []string{"timestamp", "file_name", "process_command_line", "account_name"}, []Qual{
		{Column: "device_name", Op: "=", Value: "dc-01.corp.larkspur.example"},
		{Column: "timestamp", Op: ">=", Value: simNow.Add(-24 * time.Hour)}}},
	{"one-account", []string{"timestamp", "device_name", "file_name", "sha256"}, []Qual{
		{Column: "account_name", Op: "=", Value: "srossi"}}},
	{"known-hashes", []string{"timestamp", "device_name", "file_name", "folder_path"}, []Qual{
		{Column: "sha256", Op: "=", Value: []any{
			"5a5e0829698317b3805193e6dcc8d57b442856512d197e9c8b037421e94ed9ce",
			"7e7f30e121d0c026b5f0df5f5257633393959858dd16cb4bbcc417a308032d2c"}}}},
	{"elevated-shells", []string{"timestamp", "device_name", "account_name", "file_name"}, []Qual{
		{Column: "process_integrity_level", Op: "=", Value: "High"},
		{Column: "file_name", Op: "=", Value: []any{"cmd.exe", "powershell.exe"}}}},
}

// BenchmarkPushdown runs each typical hunt with its conditions sent to
// Defender, then fetches the same columns with no conditions and filters
// them in Go, as a client without pushdown must. Both must give the same
// rows; it reports the bytes and calls of each way and their ratio.
func BenchmarkPushdown(b *testing.B) {
	s := startSim(b, sim.Config{}, 20_000)
	s.Faults().SetRateLimit(0)
	p := startPlugin(b, []*sim.Server{s}, Connection{Name: "bench", Config: connConfig(s)})
	if err := p.SetRateLimiters(fastLimiter); err != nil {
		b.Fatal(err)
	}
	var pushBytes, localBytes int64
	var pushCalls, localCalls int
	for b.Loop() {
		pushBytes, localBytes, pushCalls, localCalls = 0, 0, 0, 0
		for _, h := range typicalHunts {
			before := len(s.Calls())
			pushed := mustScan(b, p, Scan{Table: procTable, Connections: []string{"bench"}, Columns: h.cols, Quals: h.quals, Limit: -1}, 5*time.Minute)
			pc := callsSince(s, before)
			before = len(s.Calls())
			all := mustScan(b, p, Scan{Table: procTable, Connections: []string{"bench"}, Columns: huntColumns(h), Limit: -1}, 5*time.Minute)
			lc := callsSince(s, before)
			local := 0
			for _, r := range all {
				if matches(b, h.quals, r) {
					local++
				}
			}
			if local != len(pushed) || local == 0 {
				b.Fatalf("%s: pushdown returned %d rows, local filtering %d", h.name, len(pushed), local)
			}
			pb, lb := sumBytes(pc), sumBytes(lc)
			b.Logf("%-20s rows %5d  pushdown %3d call(s) %9d bytes  local %3d call(s) %10d bytes  ratio %6.1fx",
				h.name, local, len(pc), pb, len(lc), lb, float64(lb)/float64(pb))
			pushBytes += pb
			localBytes += lb
			pushCalls += len(pc)
			localCalls += len(lc)
		}
	}
	b.ReportMetric(float64(pushBytes), "pushdown-bytes")
	b.ReportMetric(float64(localBytes), "local-bytes")
	b.ReportMetric(float64(localBytes)/float64(pushBytes), "bytes-ratio")
	b.ReportMetric(float64(pushCalls), "pushdown-calls")
	b.ReportMetric(float64(localCalls), "local-calls")
}

// BenchmarkMillionRowWindow scans a window of about a million rows (a few
// columns) under the default quotas: the simulator's 45 calls a minute and
// the plugin's own defender_hunting limiter. The row cap forces the plugin
// to page the window; it reports the calls, the rows and the wall time,
// and fails if any call was throttled.
func BenchmarkMillionRowWindow(b *testing.B) {
	const total = 1_060_000
	s := startSim(b, sim.Config{}, total)
	want := windowCount(b, s, simNow.Add(-30*24*time.Hour), simNow)
	p := startPlugin(b, []*sim.Server{s}, Connection{Name: "bench", Config: connConfig(s)})
	scan := Scan{Table: procTable, Connections: []string{"bench"},
		Columns: []string{"timestamp", "device_id", "report_id", "process_id"}, Limit: -1,
		Quals: []Qual{{Column: "timestamp", Op: ">=", Value: simNow.Add(-30 * 24 * time.Hour)},
			{Column: "timestamp", Op: "<=", Value: simNow}}}
	var calls []sim.Call
	for b.Loop() {
		s.Faults().ResetQuotas()
		before := len(s.Calls())
		if got := countRows(b, p, scan); got != want {
			b.Fatalf("got %d rows, want %d", got, want)
		}
		calls = callsSince(s, before)
	}
	b.StopTimer()
	throttled := 0
	for _, c := range calls {
		if c.Status == 429 {
			throttled++
		}
	}
	if throttled > 0 {
		b.Fatalf("%d of %d calls were throttled: %s", throttled, len(calls), statuses(calls))
	}
	hwm, err := vmHWM(p.client.ReattachConfig().Pid)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d rows in %d calls (%s), %s per scan", want, len(calls), statuses(calls), (b.Elapsed() / time.Duration(b.N)).Round(time.Millisecond))
	b.ReportMetric(float64(want), "rows")
	b.ReportMetric(float64(len(calls)), "calls")
	b.ReportMetric(float64(throttled), "throttled-calls")
	b.ReportMetric(float64(want*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(hwm)/(1<<20), "plugin-peak-RSS-MiB")
}

// countRows streams s and counts its rows.
func countRows(tb testing.TB, p *Plugin, s Scan) int {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	n := 0
	err := p.Stream(ctx, s, func(*proto.Row) error { n++; return nil })
	if err != nil {
		tb.Fatalf("scan: %v\n%s", err, tail(p.Log(), 3000))
	}
	return n
}

// huntColumns is the hunt's columns plus those its conditions read.
func huntColumns(h hunt) []string {
	cols := append([]string(nil), h.cols...)
	for _, q := range h.quals {
		seen := false
		for _, c := range cols {
			seen = seen || c == q.Column
		}
		if !seen {
			cols = append(cols, q.Column)
		}
	}
	return cols
}

// matches applies quals to a row with Postgres semantics.
func matches(tb testing.TB, quals []Qual, r Row) bool {
	for _, q := range quals {
		ok, err := holds(q, r[q.Column])
		if err != nil {
			tb.Fatal(err)
		}
		if !ok {
			return false
		}
	}
	return true
}

func sumBytes(calls []sim.Call) int64 {
	var n int64
	for _, c := range calls {
		n += c.Bytes
	}
	return n
}

// sqlName is the plugin's SQL name of a Defender column.
func sqlName(c *schema.Column) string {
	if n := c.SQLName(); n != "tenant_id" {
		return n
	}
	return "defender_tenant_id"
}

// windowCount counts the rows of DeviceProcessEvents with a time in
// [lower, upper], straight from the simulator's data.
func windowCount(tb testing.TB, s *sim.Server, lower, upper time.Time) int {
	tb.Helper()
	tbl, _ := s.Data().Table("DeviceProcessEvents")
	ti := -1
	for i, c := range tbl.Columns {
		if c.Name == "Timestamp" {
			ti = i
		}
	}
	n := 0
	tbl.Scan(func(v []engine.Value) bool {
		if t, ok := v[ti].(time.Time); ok && !t.Before(lower) && !t.After(upper) {
			n++
		}
		return true
	})
	return n
}
