package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// TestQueryCache runs scans with the SDK's query cache on, as Steampipe
// does. The cache keys only on key-column quals, and only the time column
// is one, so a scan narrowed by a condition on another column must never
// be answered from a cached scan with a different condition: the hunting
// tables turn the SDK's cache off, and every scan asks Defender.
func TestQueryCache(t *testing.T) {
	s, err := sim.Start(sim.Config{Dir: t.TempDir(), Data: dataset.Options{Seed: 11, Now: simNow, Rows: 200}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	watchSim(t, s)
	s.Faults().SetRateLimit(0)
	p, err := Start(bin, "SSL_CERT_FILE="+s.CAFile())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.SetConnections(Connection{Name: conn, Config: simConfig(s)}); err != nil {
		t.Fatal(err)
	}
	if err := p.SetRateLimiters(fastLimiter); err != nil {
		t.Fatal(err)
	}
	if err := p.EnableCache(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()

	week := Qual{Column: "timestamp", Op: ">", Value: simNow.Add(-7 * 24 * time.Hour)}
	platforms := map[string]int{}
	for _, os := range []string{"Windows11", "Linux", "Windows11"} {
		before := len(s.Calls())
		rows, err := p.Execute(ctx, Scan{
			Table: "defender_device_info", Connections: []string{conn}, Limit: -1, CacheOn: true,
			Columns: []string{"timestamp", "device_name", "os_platform"},
			Quals:   []Qual{week, {Column: "os_platform", Op: "=", Value: os}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls := len(s.Calls()) - before; calls != 1 {
			t.Fatalf("os_platform = %s made %d calls, want 1 (never a cache hit)", os, calls)
		}
		if len(rows) == 0 {
			t.Fatalf("os_platform = %s returned no rows; the data set no longer exercises the test", os)
		}
		for _, r := range rows {
			if r["os_platform"] != os {
				t.Fatalf("os_platform = %s returned a row with %v: a cached answer to another filter", os, r["os_platform"])
			}
		}
		if n, seen := platforms[os]; seen && n != len(rows) {
			t.Fatalf("os_platform = %s returned %d rows, then %d", os, n, len(rows))
		}
		platforms[os] = len(rows)
	}
}
