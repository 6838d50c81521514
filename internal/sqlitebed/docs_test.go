package sqlitebed

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/docgen"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
)

// root is the module's root directory.
const root = "../.."

// db is the engine the examples run in, over the simulator srv.
var (
	srv *sim.Server
	db  *sqlvtab.DB
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "defender-sqlitebed-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The same data as internal/pgbed's: event times fall in the 30 days
	// before the real clock, and the tables whose examples look at the
	// last day hold more rows.
	srv, err = sim.Start(sim.Config{Dir: dir, Data: dataset.Options{Seed: 7, Rows: dataset.DefaultRows, TableRows: map[string]int{
		"DeviceProcessEvents": 2000, "DeviceNetworkEvents": 2000, "DeviceLogonEvents": 2000,
	}}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	// The examples read many tables in a row: lift the quota on both sides.
	srv.Faults().SetRateLimit(0)
	// Go reads SSL_CERT_FILE once, before the first TLS handshake.
	os.Setenv("SSL_CERT_FILE", srv.CAFile())
	if os.Getenv("STEAMPIPE_LOG_LEVEL") == "" {
		os.Setenv("STEAMPIPE_LOG_LEVEL", "ERROR")
	}
	cfg := fmt.Sprintf("tenant_id = %q\nclient_id = %q\nclient_secret = %q\nauthority_host = %q\napi_endpoint = %q\n",
		srv.Tenant(), srv.ClientID(), srv.ClientSecret(), srv.URL(), srv.URL())
	db, err = sqlvtab.Open(context.Background(), sqlvtab.Options{
		PluginFunc:  defender.Plugin,
		PluginName:  "defender",
		Filters:     defender.FilterOperators,
		Connections: []sqlvtab.Connection{{Name: "defender", Config: cfg}},
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
	return m.Run()
}

// TestDocsExamples runs every ```sql+sqlite block of the documentation,
// one subtest per block: each must run, and return rows unless marked with
// docgen.ExpectNone.
func TestDocsExamples(t *testing.T) {
	blocks, err := docgen.DialectBlocks(root, "sqlite")
	if err != nil {
		t.Fatal(err)
	}
	withRows, failed := 0, 0
	for _, bl := range blocks {
		ok := t.Run(bl.Where(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			_, rows, err := db.QueryAll(ctx, bl.SQL)
			switch {
			case err != nil:
				t.Fatalf("%v\n%s", err, bl.SQL)
			case len(rows) > 0:
				withRows++
			case !bl.ExpectNone:
				t.Fatalf("no rows (mark the block %s only if none is right)\n%s", docgen.ExpectNone, bl.SQL)
			}
		})
		if !ok {
			failed++
		}
	}
	t.Logf("%d blocks ran: %d returned rows, %d failed", len(blocks), withRows, failed)
}
