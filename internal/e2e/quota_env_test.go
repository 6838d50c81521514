package e2e

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// simClock is a simulator clock that runs at wall-clock speed from simNow
// and can be moved forward, so a test can age the simulator's one-minute
// rate window without sleeping through it.
type simClock struct {
	start time.Time

	mu     sync.Mutex
	offset time.Duration
}

func newSimClock() *simClock { return &simClock{start: time.Now()} }

// Now is the simulator's current time.
func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return simNow.Add(c.offset + time.Since(c.start))
}

// Advance moves the clock forward by d.
func (c *simClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// startSim starts a simulator whose data was generated at simNow, with the
// DeviceProcessEvents row count procRows and every other event table small.
// Its clock is the real one unless cfg.Now says otherwise. It is closed
// when the test ends.
// The data set of startSim: its seed, and the rows of every table other
// than DeviceProcessEvents.
const (
	benchSeed = 11
	benchRows = 50
)

func startSim(tb testing.TB, cfg sim.Config, procRows int) *sim.Server {
	tb.Helper()
	cfg.Dir = tb.TempDir()
	cfg.Data = dataset.Options{Seed: benchSeed, Now: simNow, Rows: benchRows,
		TableRows: map[string]int{"DeviceProcessEvents": procRows}}
	s, err := sim.Start(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	watchSim(tb, s)
	return s
}

// startPlugin starts a plugin process that trusts every given simulator's
// CA and configures conns. It is stopped when the test ends.
func startPlugin(tb testing.TB, sims []*sim.Server, conns ...Connection) *Plugin {
	tb.Helper()
	return startPluginEnv(tb, sims, nil, conns...)
}

// startPluginEnv is startPlugin with extra environment variables for the
// plugin process, which win over the defaults.
func startPluginEnv(tb testing.TB, sims []*sim.Server, env []string, conns ...Connection) *Plugin {
	tb.Helper()
	var pems []byte
	for _, s := range sims {
		b, err := os.ReadFile(s.CAFile())
		if err != nil {
			tb.Fatal(err)
		}
		pems = append(pems, b...)
	}
	ca := tb.TempDir() + "/ca.pem"
	if err := os.WriteFile(ca, pems, 0o644); err != nil {
		tb.Fatal(err)
	}
	p, err := Start(bin, append([]string{"SSL_CERT_FILE=" + ca, "STEAMPIPE_LOG_LEVEL=WARN"}, env...)...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Close)
	if err := p.SetConnections(conns...); err != nil {
		tb.Fatalf("%v\n%s", err, p.Log())
	}
	return p
}

// connConfig is a connection block for s with extra HCL lines.
func connConfig(s *sim.Server, extra ...string) string {
	return simConfig(s) + strings.Join(extra, "\n") + "\n"
}

// callsSince returns the simulator's calls after the first n.
func callsSince(s *sim.Server, n int) []sim.Call { return s.Calls()[n:] }

// statuses lists the HTTP statuses of calls, for assertions and messages.
func statuses(calls []sim.Call) string {
	var parts []string
	for _, c := range calls {
		parts = append(parts, strconv.Itoa(c.Status))
	}
	return strings.Join(parts, ",")
}

// oneRowScan is a scan of DeviceProcessEvents that costs one call and
// returns at most one row.
func oneRowScan(connection string) Scan {
	return Scan{Table: procTable, Connections: []string{connection},
		Columns: []string{"timestamp", "device_id", "report_id", "tenant_id"}, Limit: 1,
		Sort: []*proto.SortColumn{{Column: "timestamp", Order: proto.SortOrder_Desc}}}
}

// mustScan runs s with a timeout and fails the test on error.
func mustScan(tb testing.TB, p *Plugin, s Scan, timeout time.Duration) []Row {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	rows, err := p.Execute(ctx, s)
	if err != nil {
		tb.Fatalf("scan %s on %v: %v\nplugin log:\n%s", s.Table, s.Connections, err, tail(p.Log(), 3000))
	}
	return rows
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// rowIdentity is the key of a DeviceProcessEvents row. The data generator
// gives every row its own ReportId (7·i plus 1–6) but blanks about one in
// 64; the time, device and process id (never blanked) tell those apart.
// referenceRows checks that the key is unique in the simulator's data.
func rowIdentity(ts time.Time, device string, report, pid int64) string {
	return fmt.Sprintf("%s|%s|%d|%d", pgtime.Stored(ts).Format(time.RFC3339Nano), device, report, pid)
}

// procTable is the SQL name of DeviceProcessEvents.
var procTable = schema.Lookup("DeviceProcessEvents").SQLName()
