package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// The suite shares one simulator and one plugin process.
var (
	// simNow is when the tenant's data was generated. The simulator's
	// clock is the real one, because the plugin computes its default
	// 30-day window from its own clock.
	simNow = time.Now().UTC().Truncate(time.Second)
	srv    *sim.Server
	plug   *Plugin
	bin    string
)

const conn = "defender"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "defender-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	root, _ := filepath.Abs("../..")
	if bin, err = Build(root, dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv, err = sim.Start(sim.Config{
		Dir:  dir,
		Data: dataset.Options{Seed: 7, Now: simNow, Rows: 300},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	plug, err = Start(bin, "SSL_CERT_FILE="+srv.CAFile(), "STEAMPIPE_LOG_LEVEL=INFO")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer plug.Close()
	if err := plug.SetConnections(Connection{Name: conn, Config: simConfig(srv)}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// The pushdown suite makes hundreds of calls: lift the quota in the
	// simulator and in the plugin. The quota tests use their own processes.
	srv.Faults().SetRateLimit(0)
	if err := plug.SetRateLimiters(fastLimiter); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	kusto.AddCalls(srv.Calls())
	if err := kusto.Verify(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	return code
}

// fastLimiter replaces the plugin's hunting rate limiter for tests that
// are not about quotas.
var fastLimiter = &proto.RateLimiterDefinition{
	Name: "defender_hunting", FillRate: 10000, BucketSize: 10000, Scope: []string{"connection"},
}

// simConfig is a connection block for the simulator's demo application.
func simConfig(s *sim.Server) string {
	return fmt.Sprintf("tenant_id = %q\nclient_id = %q\nclient_secret = %q\nauthority_host = %q\napi_endpoint = %q\n",
		s.Tenant(), s.ClientID(), s.ClientSecret(), s.URL(), s.URL())
}
