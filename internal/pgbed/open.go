package pgbed

import (
	"fmt"
	"os"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtest"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// connection is the name of the plugin connection the bed reads through.
const connection = "defender"

// Open starts PostgreSQL, a simulator serving data, and the plugin built
// from the module at root, connected to the simulator. Call Close when
// done. When PostgreSQL is not installed the error wraps
// pgtest.ErrNotInstalled.
func Open(root string, data dataset.Options) (*Bed, error) {
	b := &Bed{loaded: map[string]bool{}, queries: map[huntingQuery]bool{}}
	if err := b.open(root, data); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func (b *Bed) open(root string, data dataset.Options) (err error) {
	if b.pg, err = pgtest.Start(); err != nil {
		return err
	}
	if b.dir, err = os.MkdirTemp("", "defender-pgbed-"); err != nil {
		return err
	}
	bin, err := e2e.Build(root, b.dir)
	if err != nil {
		return err
	}
	if b.sim, err = sim.Start(sim.Config{Dir: b.dir, Data: data}); err != nil {
		return err
	}
	// The bed reads many tables in a row: lift the quota on both sides.
	b.sim.Faults().SetRateLimit(0)
	if b.plug, err = e2e.Start(bin, "SSL_CERT_FILE="+b.sim.CAFile()); err != nil {
		return err
	}
	cfg := fmt.Sprintf("tenant_id = %q\nclient_id = %q\nclient_secret = %q\nauthority_host = %q\napi_endpoint = %q\n",
		b.sim.Tenant(), b.sim.ClientID(), b.sim.ClientSecret(), b.sim.URL(), b.sim.URL())
	if err = b.plug.SetConnections(e2e.Connection{Name: connection, Config: cfg}); err != nil {
		return err
	}
	if err = b.plug.SetRateLimiters(&proto.RateLimiterDefinition{
		Name: "defender_hunting", FillRate: 10000, BucketSize: 10000, Scope: []string{"connection"},
	}); err != nil {
		return err
	}
	s, err := b.plug.Schema(connection)
	if err != nil {
		return err
	}
	b.tables = s.Schema
	return nil
}
