package e2e

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// TestConfigErrors checks that each misconfigured connection fails its
// first query with a message naming what to fix, and that only the
// wrong secret reaches Entra ID.
func TestConfigErrors(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	wrongSecret := randomSecret()
	l.add(wrongSecret)
	tenant, client := s.Tenant(), s.ClientID()
	secret := []any{"client_id", client, "client_secret", s.ClientSecret()}
	cases := []struct {
		name string
		args []any
		want []string
	}{
		{"no_credential", []any{"client_id", client, "use_azure_cli", false}, []string{`connection "no_credential"`, "no credential",
			"client_secret (or AZURE_CLIENT_SECRET)", "certificate_path (or AZURE_CLIENT_CERTIFICATE_PATH)",
			"federated_token_file (or AZURE_FEDERATED_TOKEN_FILE)", "username (or AZURE_USERNAME)", "use_managed_identity = true"}},
		{"two_credentials", append([]any{"federated_token_file", "/var/run/token"}, secret...), []string{`connection "two_credentials"`,
			"client_secret (or AZURE_CLIENT_SECRET)", "federated_token_file (or AZURE_FEDERATED_TOKEN_FILE)", "exactly one"}},
		{"china", append([]any{"cloud", "china"}, secret...), []string{`connection "china"`, `cloud "china"`}},
		{"bad_api", append([]any{"api", "defender"}, secret...), []string{`connection "bad_api"`, `api "defender"`, `"graph"`, `"mde"`}},
		{"bad_wait", append([]any{"max_throttle_wait", "soon"}, secret...), []string{`connection "bad_wait"`, `max_throttle_wait "soon"`}},
		{"wrong_secret", []any{"client_id", client, "client_secret", wrongSecret}, []string{tenant, client, "invalid_client"}},
		// No token_cache_path: the default one, under the plugin's empty HOME.
		{"no_login", []any{"client_id", client, "username", "alice.moreau@larkspur.example"},
			[]string{"no token cache at", "sign in again", bin + " login --connection no_login`"}},
		{"no_login_cache", []any{"client_id", client, "username", "alice.moreau@larkspur.example",
			"token_cache_path", filepath.Join(t.TempDir(), "missing.json")},
			[]string{"no token cache at", "sign in again", bin + " login --connection no_login_cache`"}},
	}
	conns := make([]Connection, len(cases))
	for i, c := range cases {
		conns[i] = Connection{Name: c.name, Config: simBlock(s, tenant, c.args...)}
	}
	p := startAuthPlugin(t, s, l, nil, conns...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entraBefore := len(s.Entra().Calls())
			_, err := authScan(t, p, l, deviceScan(c.name))
			if err == nil {
				t.Fatal("the query succeeded")
			}
			t.Logf("error: %v", err)
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %s:\n%v", w, err)
				}
			}
			calls := s.Entra().Calls()[entraBefore:]
			if c.name == "wrong_secret" {
				if len(calls) == 0 || calls[len(calls)-1].Error != "invalid_client" {
					t.Errorf("Entra calls = %+v, want a refused client", calls)
				}
			} else if len(calls) != 0 {
				t.Errorf("a connection that cannot work called Entra ID: %+v", calls)
			}
		})
	}
	if n := len(s.Calls()); n != 0 {
		t.Errorf("%d hunting calls from misconfigured connections", n)
	}
	if n := len(entraCalls(s, 0, entra.EndpointDeviceCode, "")); n != 0 {
		t.Errorf("the plugin started %d device code sign-ins", n)
	}
}

// TestConfigFromEnvironment checks the AZURE_* fallbacks: a connection
// that sets only the API endpoint takes its tenant, client, secret and
// authority host from the plugin's environment, and tenant_id shows the
// tenant from there.
func TestConfigFromEnvironment(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	env := []string{"AZURE_TENANT_ID=" + s.Tenant(), "AZURE_CLIENT_ID=" + s.ClientID(),
		"AZURE_CLIENT_SECRET=" + s.ClientSecret(), "AZURE_AUTHORITY_HOST=" + s.URL()}
	p := startAuthPlugin(t, s, l, env, Connection{Name: "defender", Config: "api_endpoint = \"" + s.URL() + "\"\n"})
	mustScanDevices(t, p, l, "defender", s.Tenant())
	checkHuntingCallers(t, s, 0, s.ClientID(), s.Tenant())
}

// TestConfigMDEAPI checks api = "mde", and the legacy name "mdatp", which
// selects the same API with a warning in the plugin's log. Each MDE
// connection logs the retirement notice once, and its scans go through
// the hourly MDE limiter, which a Graph connection's scans do not.
func TestConfigMDEAPI(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	secret := []any{"client_id", s.ClientID(), "client_secret", s.ClientSecret()}
	p := startAuthPlugin(t, s, l, nil,
		Connection{Name: "mde", Config: simBlock(s, s.Tenant(), append([]any{"api", "mde"}, secret...)...)},
		Connection{Name: "legacy", Config: simBlock(s, s.Tenant(), append([]any{"api", "mdatp"}, secret...)...)},
		Connection{Name: "graph", Config: simBlock(s, s.Tenant(), secret...)},
	)
	mustScanDevices(t, p, l, "graph", s.Tenant())
	const mdeLimited = "limiter 'defender_mde_hourly' DOES apply"
	if strings.Contains(p.Log(), mdeLimited) {
		t.Error("a Graph connection's scan used the MDE hourly limiter")
	}
	for _, name := range []string{"mde", "legacy"} {
		from := len(s.Calls())
		mustScanDevices(t, p, l, name, s.Tenant())
		mustScanDevices(t, p, l, name, s.Tenant())
		checkHuntingCallers(t, s, from, s.ClientID(), s.Tenant())
		for _, c := range s.Calls()[from:] {
			if c.API != "mde" {
				t.Errorf("connection %s called the %s API, want mde", name, c.API)
			}
		}
	}
	log := p.Log()
	if !regexp.MustCompile(`connection=legacy warning=.*mdatp.* is a legacy name`).MatchString(log) {
		t.Error("no warning about the legacy api name in the plugin log")
	}
	for _, name := range []string{"mde", "legacy"} {
		// The SDK's log carries each line twice: as written, and wrapped.
		re := regexp.MustCompile(`(?m)^\[WARN\].*connection=` + name + ` warning=.*legacy Defender for Endpoint advanced hunting API.*MC1220762.*set api = \\?"graph\\?"`)
		if n := len(re.FindAllString(log, -1)); n != 1 {
			t.Errorf("connection %s logged the retirement warning %d times, want once", name, n)
		}
	}
	if !strings.Contains(log, mdeLimited) {
		t.Error("the MDE scans did not use the defender_mde_hourly limiter")
	}
}
