package sqlvtab_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kustocheck"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
)

// The tests share one simulator, one bridge and one plain SQLite
// database holding the simulator's rows as ordinary tables.
//
// The plugin computes Defender's default 30-day window from its own
// clock, so the simulator runs on the real clock too, and its data end
// shortly before the tests start (dataNow).
var (
	dataNow time.Time
	srv     *sim.Server
	db      *sqlvtab.DB
	native  *sql.DB
	// kusto gathers the KQL the simulator received, for TestMain to
	// check with Microsoft's Kusto parser; bridgeQuery adds the calls
	// before it clears the simulator's log.
	kusto kustocheck.Collector
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "sqlvtab-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if srv, err = startSim(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	// The simulator clock stands still, so its sliding-minute quota would
	// never recover.
	srv.Faults().SetRateLimit(0)
	// Go reads SSL_CERT_FILE once, before the first TLS handshake.
	os.Setenv("SSL_CERT_FILE", srv.CAFile())
	if os.Getenv("STEAMPIPE_LOG_LEVEL") == "" {
		os.Setenv("STEAMPIPE_LOG_LEVEL", "ERROR")
	}
	ctx := context.Background()
	db, err = sqlvtab.Open(ctx, sqlvtab.Options{
		PluginFunc:  defender.Plugin,
		PluginName:  "defender",
		Filters:     defender.FilterOperators,
		Connections: []sqlvtab.Connection{{Name: "defender", Config: simConfig(srv)}},
		// The plugin allows 45 calls a minute, as Defender does; the
		// tests make more.
		RateLimiters: []*proto.RateLimiterDefinition{{
			Name: "defender_hunting", FillRate: 10000, BucketSize: 10000,
			Scope: []string{"connection"}, Where: "service = 'hunting'",
		}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	if native, err = loadNative(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer native.Close()
	code := m.Run()
	kusto.AddCalls(srv.Calls())
	if err := kusto.Verify(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	return code
}

// edgeMargin is how long the tests may run: no row may cross the
// window's lower edge meanwhile, or the plugin and the plain tables would
// see different rows.
const edgeMargin = 15 * time.Minute

// startSim starts the simulator with data whose rows all stay on one side
// of the 30-day edge for edgeMargin, moving the data back in time until
// they do.
func startSim(dir string) (*sim.Server, error) {
	dataNow = time.Now().UTC().Truncate(time.Second)
	for range 20 {
		s, err := sim.Start(sim.Config{
			Dir:  dir,
			Data: dataset.Options{Seed: 11, Now: dataNow, Rows: 120},
		})
		if err != nil {
			return nil, err
		}
		if !rowNearEdge(s, time.Now().Add(-window)) {
			return s, nil
		}
		s.Close()
		dataNow = dataNow.Add(-20 * time.Minute)
	}
	return nil, fmt.Errorf("no data set without rows near the window edge")
}

// rowNearEdge reports a row of the tests' tables whose time lies within
// edgeMargin after edge (or a minute before it).
func rowNearEdge(s *sim.Server, edge time.Time) bool {
	for _, name := range nativeTables {
		def := schema.Lookup(name)
		tbl, ok := s.Data().Table(name)
		if !ok || def.TimeColumn == "" {
			continue
		}
		idx := -1
		for i, c := range tbl.Columns {
			if c.Name == def.TimeColumn {
				idx = i
			}
		}
		near := false
		tbl.Scan(func(vals []engine.Value) bool {
			if ts, ok := vals[idx].(time.Time); ok && ts.After(edge.Add(-time.Minute)) && ts.Before(edge.Add(edgeMargin)) {
				near = true
				return false
			}
			return true
		})
		if near {
			return true
		}
	}
	return false
}

// simConfig is a connection body for the simulator's demo application.
func simConfig(s *sim.Server) string {
	return fmt.Sprintf("tenant_id = %q\nclient_id = %q\nclient_secret = %q\nauthority_host = %q\napi_endpoint = %q\n",
		s.Tenant(), s.ClientID(), s.ClientSecret(), s.URL(), s.URL())
}
