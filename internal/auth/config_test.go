package auth

import (
	"strings"
	"testing"
)

func TestKindValid(t *testing.T) {
	ids := Config{TenantID: "t", ClientID: "c"}
	with := func(f func(*Config)) Config { c := ids; f(&c); return c }
	cases := []struct {
		name string
		cfg  Config
		want Kind
	}{
		{"secret", with(func(c *Config) { c.ClientSecret = "s" }), ClientSecret},
		{"pem certificate", with(func(c *Config) { c.CertificatePath = "/c.pem" }), Certificate},
		{"pfx with password", with(func(c *Config) { c.CertificatePath = "/c.pfx"; c.CertificatePassword = "p" }), Certificate},
		{"user", with(func(c *Config) { c.Username = "u@x"; c.TokenCachePath = "/cache" }), User},
		{"workload", with(func(c *Config) { c.FederatedTokenFile = "/f" }), WorkloadIdentity},
		{"system-assigned", Config{UseManagedIdentity: true}, ManagedIdentity},
		{"user-assigned", Config{UseManagedIdentity: true, ClientID: "c"}, ManagedIdentity},
		{"identity with tenant", with(func(c *Config) { c.UseManagedIdentity = true }), ManagedIdentity},
	}
	for _, c := range cases {
		got, err := c.cfg.Kind()
		if err != nil || got != c.want {
			t.Errorf("%s: Kind() = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

func TestKindConflicts(t *testing.T) {
	selectors := []struct {
		set   func(*Config)
		names []string
	}{
		{func(c *Config) { c.ClientSecret = "s" }, []string{"client_secret", EnvClientSecret}},
		{func(c *Config) { c.CertificatePath = "/c" }, []string{"certificate_path", EnvCertificatePath}},
		{func(c *Config) { c.Username = "u" }, []string{"username", EnvUsername}},
		{func(c *Config) { c.FederatedTokenFile = "/f" }, []string{"federated_token_file", EnvFederatedTokenFile}},
		{func(c *Config) { c.UseManagedIdentity = true }, []string{"use_managed_identity"}},
	}
	for i := range selectors {
		for j := i + 1; j < len(selectors); j++ {
			c := Config{TenantID: "t", ClientID: "c", TokenCachePath: "/cache"}
			selectors[i].set(&c)
			selectors[j].set(&c)
			_, err := c.Kind()
			if err == nil {
				t.Errorf("conflict %v + %v accepted", selectors[i].names, selectors[j].names)
				continue
			}
			msg := err.Error()
			for _, n := range append(append([]string{"conflicting"}, selectors[i].names...), selectors[j].names...) {
				if !strings.Contains(msg, n) {
					t.Errorf("conflict error %q lacks %q", msg, n)
				}
			}
		}
	}
	// All five at once still yields one error naming each.
	c := Config{TenantID: "t", ClientID: "c", ClientSecret: "s", CertificatePath: "/c", Username: "u", FederatedTokenFile: "/f", UseManagedIdentity: true}
	_, err := c.Kind()
	if err == nil {
		t.Fatal("five-way conflict accepted")
	}
	for _, s := range selectors {
		if !strings.Contains(err.Error(), s.names[0]) {
			t.Errorf("five-way conflict error %q lacks %q", err, s.names[0])
		}
	}
}

func TestKindMissing(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"nothing", Config{DisableAzureCLI: true}, []string{
			"no credential", "use_azure_cli = false", "client_secret (or AZURE_CLIENT_SECRET)", "certificate_path (or AZURE_CLIENT_CERTIFICATE_PATH)",
			"federated_token_file (or AZURE_FEDERATED_TOKEN_FILE)", "username (or AZURE_USERNAME)", "use_managed_identity = true",
		}},
		{"ids only", Config{TenantID: "t", ClientID: "c", DisableAzureCLI: true}, []string{"no credential", "client_secret"}},
		{"secret without tenant", Config{ClientID: "c", ClientSecret: "s"}, []string{"client_secret (or AZURE_CLIENT_SECRET) is set", "tenant_id (or AZURE_TENANT_ID)"}},
		{"secret without client", Config{TenantID: "t", ClientSecret: "s"}, []string{"client_id (or AZURE_CLIENT_ID)"}},
		{"secret without both", Config{ClientSecret: "s"}, []string{"tenant_id (or AZURE_TENANT_ID) and client_id (or AZURE_CLIENT_ID)"}},
		{"certificate without client", Config{TenantID: "t", CertificatePath: "/c"}, []string{"certificate_path (or AZURE_CLIENT_CERTIFICATE_PATH) is set", "client_id"}},
		{"workload without tenant", Config{ClientID: "c", FederatedTokenFile: "/f"}, []string{"federated_token_file", "tenant_id (or AZURE_TENANT_ID)"}},
		{"user without client", Config{TenantID: "t", Username: "u", TokenCachePath: "/x"}, []string{"username (or AZURE_USERNAME) is set", "client_id"}},
		{"user without cache", Config{TenantID: "t", ClientID: "c", Username: "u"}, []string{"token_cache_path"}},
		{"password alone", Config{TenantID: "t", ClientID: "c", CertificatePassword: "p"}, []string{"certificate_password (or AZURE_CLIENT_CERTIFICATE_PASSWORD)", "certificate_path (or AZURE_CLIENT_CERTIFICATE_PATH)"}},
		{"password with secret", Config{TenantID: "t", ClientID: "c", ClientSecret: "s", CertificatePassword: "p"}, []string{"certificate_password (or AZURE_CLIENT_CERTIFICATE_PASSWORD)", "client_secret"}},
	}
	for _, c := range cases {
		k, err := c.cfg.Kind()
		if err == nil {
			t.Errorf("%s: Kind() = %q, want an error", c.name, k)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

// TestKindAzureCLI checks that the Azure CLI is the credential only when
// no other one is configured.
func TestKindAzureCLI(t *testing.T) {
	for _, c := range []Config{{}, {TenantID: "t"}, {TenantID: "t", ClientID: "c"}} {
		if k, err := c.Kind(); k != AzureCLI || err != nil {
			t.Errorf("%+v: Kind() = %q, %v; want azure_cli", c, k, err)
		}
	}
	if k, _ := (Config{TenantID: "t", ClientID: "c", ClientSecret: "s"}).Kind(); k != ClientSecret {
		t.Errorf("a configured secret gave %q", k)
	}
}

func TestApplyEnv(t *testing.T) {
	env := map[string]string{
		EnvTenantID: "env-tenant", EnvClientID: "env-client", EnvClientSecret: "env-secret",
		EnvCertificatePath: "", EnvUsername: "", EnvAuthorityHost: "https://env.example",
	}
	getenv := func(k string) string { return env[k] }

	// The connection's values win; empty ones come from the environment.
	c := Config{TenantID: "hcl-tenant"}
	c.ApplyEnv(getenv)
	if c.TenantID != "hcl-tenant" || c.ClientID != "env-client" || c.ClientSecret != "env-secret" || c.AuthorityHost != "https://env.example" {
		t.Errorf("ApplyEnv = %+v", c)
	}
	if k, err := c.Kind(); err != nil || k != ClientSecret {
		t.Errorf("Kind = %q, %v", k, err)
	}

	// A credential chosen in the connection keeps the environment's
	// credential out, so no conflict arises.
	for _, hcl := range []Config{
		{CertificatePath: "/c.pem"},
		{Username: "alice@x", TokenCachePath: "/cache"},
		{FederatedTokenFile: "/f"},
		{UseManagedIdentity: true},
		{ClientSecret: "hcl-secret"},
	} {
		c := hcl
		c.ApplyEnv(getenv)
		if hcl.ClientSecret == "" && c.ClientSecret != "" {
			t.Errorf("%+v: environment secret leaked into a connection with its own credential", hcl)
		}
		if hcl.ClientSecret != "" && c.ClientSecret != hcl.ClientSecret {
			t.Errorf("connection secret replaced by %q", c.ClientSecret)
		}
		if _, err := c.Kind(); err != nil {
			t.Errorf("%+v: Kind after ApplyEnv: %v", hcl, err)
		}
	}

	// Two credentials in the environment are reported as a conflict that
	// names the variables.
	env[EnvCertificatePath] = "/env.pem"
	c = Config{}
	c.ApplyEnv(getenv)
	if _, err := c.Kind(); err == nil || !strings.Contains(err.Error(), EnvClientSecret) || !strings.Contains(err.Error(), EnvCertificatePath) {
		t.Errorf("environment conflict: %v", err)
	}
}

func TestApplyEndpoints(t *testing.T) {
	e, err := ResolveEndpoints("gcc-high", Graph)
	if err != nil {
		t.Fatal(err)
	}
	c := Config{}
	c.ApplyEndpoints(e)
	if c.AuthorityHost != "https://login.microsoftonline.us" || c.Scope != "https://graph.microsoft.us/.default" {
		t.Errorf("ApplyEndpoints = %+v", c)
	}
	c = Config{AuthorityHost: "https://127.0.0.1:1", Scope: "x/.default"}
	c.ApplyEndpoints(e)
	if c.AuthorityHost != "https://127.0.0.1:1" || c.Scope != "x/.default" {
		t.Errorf("ApplyEndpoints overwrote set values: %+v", c)
	}
}

func TestAuthority(t *testing.T) {
	cases := []struct {
		host, tenant string
		want         string
		overridden   bool
		bad          bool
	}{
		{"", "t1", "https://login.microsoftonline.com/t1", false, false},
		{"https://127.0.0.1:8443/", "t1", "https://127.0.0.1:8443/t1", true, false},
		{"https://login.microsoftonline.us", "contoso.onmicrosoft.com", "https://login.microsoftonline.us/contoso.onmicrosoft.com", true, false},
		{"http://127.0.0.1:1", "t1", "", false, true},
		{"https://h/path", "t1", "", false, true},
		{"127.0.0.1:1", "t1", "", false, true},
		{"https://h", "", "", false, true},
		{"https://h", "a/b", "", false, true},
	}
	for _, c := range cases {
		got, over, err := authority(Config{AuthorityHost: c.host, TenantID: c.tenant})
		if c.bad {
			if err == nil {
				t.Errorf("authority(%q, %q) = %q, want an error", c.host, c.tenant, got)
			}
			continue
		}
		if err != nil || got != c.want || over != c.overridden {
			t.Errorf("authority(%q, %q) = %q, %v, %v", c.host, c.tenant, got, over, err)
		}
	}
}
