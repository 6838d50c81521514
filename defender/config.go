package defender

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
)

// Config is the connection configuration read from a connection block in
// ~/.steampipe/config/defender.spc. Every credential field falls back to the
// environment variable that the Azure SDKs use.
type Config struct {
	TenantID            *string `hcl:"tenant_id"`
	ClientID            *string `hcl:"client_id"`
	ClientSecret        *string `hcl:"client_secret"`
	CertificatePath     *string `hcl:"certificate_path"`
	CertificatePassword *string `hcl:"certificate_password"`
	Username            *string `hcl:"username"`
	TokenCachePath      *string `hcl:"token_cache_path"`
	UseManagedIdentity  *bool   `hcl:"use_managed_identity"`
	UseAzureCLI         *bool   `hcl:"use_azure_cli"`
	FederatedTokenFile  *string `hcl:"federated_token_file"`
	API                 *string `hcl:"api"`
	Cloud               *string `hcl:"cloud"`
	AuthorityHost       *string `hcl:"authority_host"`
	APIEndpoint         *string `hcl:"api_endpoint"`
	GraphEndpoint       *string `hcl:"graph_endpoint"`
	MaxThrottleWait     *string `hcl:"max_throttle_wait"`
}

// defaultMaxThrottleWait is how long a query waits on a throttled tenant
// before it fails with the time queries will work again.
const defaultMaxThrottleWait = 5 * time.Minute

func configInstance() any { return &Config{} }

// connectionConfig returns the connection's config; a block with no
// arguments yields the zero Config.
func connectionConfig(c *plugin.Connection) Config {
	if c == nil || c.Config == nil {
		return Config{}
	}
	switch v := c.Config.(type) {
	case Config:
		return v
	case *Config:
		return *v
	}
	return Config{}
}

// settings is a connection's configuration with defaults and environment
// variables applied, ready to build a client.
type settings struct {
	connection string
	auth       auth.Config
	api        auth.API
	endpoints  auth.Endpoints
	// graph is the Graph root and token scope of the security tables
	// (incidents, alerts, secure score), whatever api is.
	graph           auth.Endpoints
	maxThrottleWait time.Duration
	warnings        []string
}

// resolve applies environment fallbacks and defaults, and checks the
// configuration, returning one error that names what to change.
func (c Config) resolve(connection string, getenv func(string) string) (*settings, error) {
	s := &settings{connection: connection, maxThrottleWait: defaultMaxThrottleWait}
	a := auth.Config{
		TenantID:            str(c.TenantID),
		ClientID:            str(c.ClientID),
		ClientSecret:        str(c.ClientSecret),
		CertificatePath:     str(c.CertificatePath),
		CertificatePassword: str(c.CertificatePassword),
		Username:            str(c.Username),
		TokenCachePath:      str(c.TokenCachePath),
		FederatedTokenFile:  str(c.FederatedTokenFile),
		AuthorityHost:       str(c.AuthorityHost),
		UseManagedIdentity:  c.UseManagedIdentity != nil && *c.UseManagedIdentity,
		DisableAzureCLI:     c.UseAzureCLI != nil && !*c.UseAzureCLI,
	}
	a.ApplyEnv(getenv)

	api, warning, err := auth.ParseAPI(str(c.API))
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", connection, err)
	}
	if warning != "" {
		s.warnings = append(s.warnings, warning)
	}
	if api == auth.MDE {
		s.warnings = append(s.warnings, auth.MDERetirement)
	}
	cloud := str(c.Cloud)
	if cloud == "" {
		cloud = "global"
	}
	ep, err := auth.ResolveEndpoints(cloud, api)
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", connection, err)
	}
	a.ApplyEndpoints(ep)
	if v := str(c.APIEndpoint); v != "" {
		ep.APIBase = strings.TrimRight(v, "/")
	}
	graph, err := graphEndpoints(cloud, api, ep, str(c.GraphEndpoint))
	if err != nil {
		return nil, fmt.Errorf("connection %q: %w", connection, err)
	}
	home, _ := os.UserHomeDir()
	a.ExpandPaths(getenv, home)
	if a.Username != "" && a.TokenCachePath == "" {
		a.TokenCachePath = auth.DefaultTokenCachePath(home, connection)
	}
	a.LoginCommand = loginCommand(connection)
	if _, err := a.Kind(); err != nil {
		return nil, fmt.Errorf("connection %q: %w", connection, err)
	}
	if v := str(c.MaxThrottleWait); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("connection %q: max_throttle_wait %q is not a duration; write it like \"5m\" or \"90s\"", connection, v)
		}
		s.maxThrottleWait = d
	}
	s.auth, s.api, s.endpoints, s.graph = a, api, ep, graph
	return s, nil
}

// graphEndpoints are the Graph root and scope of the security tables.
// With api = "graph" they are the hunting endpoints (api_endpoint
// included); with api = "mde" they are the cloud's Graph (the global one
// for the regional MDE hosts), reached with the same credential and a
// Graph token. graph_endpoint overrides the root in both cases.
func graphEndpoints(cloud string, api auth.API, hunting auth.Endpoints, override string) (auth.Endpoints, error) {
	g := hunting
	if api == auth.MDE {
		name := cloud
		if _, ok := map[string]bool{"global": true, "gcc": true, "gcc-high": true, "dod": true}[strings.ToLower(strings.TrimSpace(cloud))]; !ok {
			name = "global" // a regional MDE host: its tenant's Graph is the global one
		}
		var err error
		if g, err = auth.ResolveEndpoints(name, auth.Graph); err != nil {
			return auth.Endpoints{}, err
		}
	}
	if override != "" {
		g.APIBase = strings.TrimRight(override, "/")
	}
	return g, nil
}

// loginCommand is the command that signs a user in for a connection.
func loginCommand(connection string) string {
	exe, err := os.Executable()
	if err != nil {
		exe = "~/.steampipe/plugins/local/defender/defender.plugin"
	}
	return fmt.Sprintf("%s login --connection %s", exe, connection)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
