package defender

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
)

// client is everything one connection needs: its tenant, a hunting
// client holding one MSAL token source, and the Graph security client.
type client struct {
	tenant  string
	hunting *hunting.Client
	graph   *graphsec.Client
}

// clients holds one client per connection and configuration, so a
// connection's MSAL client and its token cache live as long as the plugin.
var clients = struct {
	sync.Mutex
	m map[string]*client
}{m: map[string]*client{}}

// connect returns the connection's client, creating it on first use. The
// configuration is validated here, because the SDK offers no earlier hook.
func connect(ctx context.Context, d *plugin.QueryData) (*client, error) {
	cfg := connectionConfig(d.Connection)
	key := fmt.Sprintf("%s\x00%#v", d.Connection.Name, cfg.fingerprint())

	clients.Lock()
	defer clients.Unlock()
	if c, ok := clients.m[key]; ok {
		return c, nil
	}
	s, err := cfg.resolve(d.Connection.Name, os.Getenv)
	if err != nil {
		return nil, err
	}
	logger := plugin.Logger(ctx)
	for _, w := range s.warnings {
		logger.Warn("defender configuration", "connection", s.connection, "warning", w)
	}
	ts, err := auth.NewTokenSource(s.auth)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", s.connection, err)
	}
	api := hunting.Graph
	if s.api == "mde" {
		api = hunting.MDE
	}
	hc, err := hunting.New(hunting.Config{
		API:             api,
		Endpoint:        s.endpoints.APIBase,
		Token:           ts.Token,
		Logger:          logger.Named("hunting"),
		MaxThrottleWait: s.maxThrottleWait,
		Observe:         observeHunting(s.connection),
	})
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", s.connection, err)
	}
	gc, err := newGraphClient(s, ts, logger)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", s.connection, err)
	}
	c := &client{tenant: s.auth.TenantID, hunting: hc, graph: gc}
	clients.m[key] = c
	return c, nil
}

// newGraphClient builds the client of the Graph security tables. It shares
// the hunting token source when that already asks for Graph tokens;
// otherwise (api = "mde") it asks the same credential for Graph tokens.
func newGraphClient(s *settings, ts auth.TokenSource, logger hclog.Logger) (*graphsec.Client, error) {
	if s.graph.Scope != s.auth.Scope {
		a := s.auth
		a.Scope = s.graph.Scope
		var err error
		if ts, err = auth.NewTokenSource(a); err != nil {
			return nil, err
		}
	}
	return graphsec.New(graphsec.Config{
		Endpoint:        s.graph.APIBase,
		Token:           ts.Token,
		Logger:          logger.Named("graph_security"),
		MaxThrottleWait: s.maxThrottleWait,
		Observe:         observeGraph(s.connection),
	})
}

// fingerprint is the configuration with pointers dereferenced, so two
// equal configurations share a client.
func (c Config) fingerprint() [15]string {
	b := func(p *bool) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	}
	return [15]string{str(c.TenantID), str(c.ClientID), str(c.ClientSecret), str(c.CertificatePath),
		str(c.CertificatePassword), str(c.Username), str(c.TokenCachePath), b(c.UseManagedIdentity),
		str(c.FederatedTokenFile), str(c.API), str(c.Cloud), str(c.AuthorityHost), str(c.APIEndpoint),
		str(c.MaxThrottleWait), str(c.GraphEndpoint)}
}

// tenantID returns the connection's tenant, for the tenant_id connection
// key column.
func tenantID(_ context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	a := auth.Config{TenantID: str(connectionConfig(d.Connection).TenantID)}
	a.ApplyEnv(os.Getenv)
	if a.TenantID == "" {
		return nil, nil
	}
	return a.TenantID, nil
}
