package defender

import (
	"context"
	"fmt"
	"os"

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

// connect returns the connection's client, creating it on first use. The
// configuration is validated here, because the SDK offers no earlier hook.
func connect(ctx context.Context, d *plugin.QueryData) (*client, error) {
	cfg := connectionConfig(d.Connection)
	return clients.get(d.Connection.Name, cfg, func() (*client, error) { return newClient(ctx, d.Connection.Name, cfg) })
}

// newClient resolves a connection's configuration and builds its client.
func newClient(ctx context.Context, connection string, cfg Config) (*client, error) {
	s, err := cfg.resolve(connection, os.Getenv)
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
		ForbiddenHint:   forbiddenHint(s),
		Observe:         observeHunting(s.connection),
	})
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", s.connection, err)
	}
	gc, err := newGraphClient(s, ts, logger)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", s.connection, err)
	}
	return &client{tenant: s.auth.TenantID, hunting: hc, graph: gc}, nil
}

// close releases a replaced client's idle connections.
func (c *client) close() {
	c.hunting.CloseIdleConnections()
	c.graph.CloseIdleConnections()
}

// forbiddenHint is the advice for a refused hunting call of a connection
// that uses the Azure CLI's sign-in, whose user, not an app, lacks the
// permission; "" keeps the hunting client's advice for apps.
func forbiddenHint(s *settings) string {
	if kind, _ := s.auth.Kind(); kind != auth.AzureCLI {
		return ""
	}
	return fmt.Sprintf("The user signed in to the Azure CLI needs the delegated permission %s, consented for the Azure CLI, "+
		"and a Defender role that may run advanced hunting; or configure an app credential in the connection", s.endpoints.DelegatedPermission)
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
