package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// TestQueryCache runs scans with the SDK's query cache on, as Steampipe
// does: a repeated scan (an IN list included) is served from the cache,
// and a scan of a different time window is never answered from a cached
// one, because the time column's cache match is exact.
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

	scan := func(quals ...Qual) (int, int) {
		t.Helper()
		before := len(s.Calls())
		rows, err := p.Execute(ctx, Scan{
			Table: "defender_device_info", Connections: []string{conn}, Limit: -1, CacheOn: true,
			Columns: []string{"timestamp", "device_name", "os_platform"}, Quals: quals,
		})
		if err != nil {
			t.Fatal(err)
		}
		return len(rows), len(s.Calls()) - before
	}

	in := Qual{Column: "os_platform", Op: "=", Value: []any{"Windows11", "Linux"}}
	week := Qual{Column: "timestamp", Op: ">", Value: simNow.Add(-7 * 24 * time.Hour)}
	day := Qual{Column: "timestamp", Op: ">", Value: simNow.Add(-24 * time.Hour)}

	n1, c1 := scan(in, week)
	n2, c2 := scan(in, week)
	if c1 != 1 || c2 != 0 || n1 != n2 || n1 == 0 {
		t.Fatalf("repeated scan: %d rows/%d calls, then %d rows/%d calls; want one call then a cache hit", n1, c1, n2, c2)
	}
	// A narrower window would be a subset under the SDK's default cache
	// match; the exact match must make it a new call.
	n3, c3 := scan(in, day)
	if c3 != 1 {
		t.Fatalf("a different time window made %d calls, want 1 (no cache hit)", c3)
	}
	if n3 > n1 {
		t.Fatalf("one day returned %d rows, more than the week's %d", n3, n1)
	}
	// No time qual at all (the default window) is also its own entry.
	if _, c4 := scan(in); c4 != 1 {
		t.Fatalf("the default window made %d calls, want 1", c4)
	}
}
