package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// TestLoginConcurrentCache signs several users in at once, each through
// its own "login --browser" process and connection, all sharing one
// token_cache_path. The fake browsers hold every login at the sign-in
// form and then submit together, so the processes write the cache within
// moments of each other. Every round starts from no cache and must end
// with every user's entries in a valid file; then one plugin process
// queries through every connection from that file without a new sign-in.
func TestLoginConcurrentCache(t *testing.T) {
	const users, rounds = 4, 10
	upns := []string{sim.DemoUser}
	for i := 1; i < users; i++ {
		upns = append(upns, fmt.Sprintf("user%d@%s", i, sim.DemoDomain))
	}
	s := startAuthSim(t, 0, func(c *sim.Config) {
		for i, upn := range upns {
			c.Users = append(c.Users, entra.User{UPN: upn, ObjectID: fmt.Sprintf("0c9b4e27-6d13-4f5a-8e72-%012d", i+1), Tenant: sim.DemoTenant})
		}
	})
	l := newLeaks(s)
	dir := t.TempDir()
	cache := filepath.Join(t.TempDir(), "tokens", "shared.json")
	var spc strings.Builder
	var conns []Connection
	for i, upn := range upns {
		name := fmt.Sprintf("defender_user%d", i)
		body := simBlock(s, s.Tenant(), "client_id", sim.DemoPublicClientID, "username", upn, "token_cache_path", cache)
		fmt.Fprintf(&spc, "connection %q {\n  plugin = \"local/defender\"\n%s}\n", name, body)
		conns = append(conns, Connection{Name: name, Config: body})
	}
	if err := os.WriteFile(filepath.Join(dir, "defender.spc"), []byte(spc.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}

	for round := range rounds {
		if err := os.Remove(cache); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		gate := t.TempDir()
		var logins []*loginRun
		for _, c := range conns {
			logins = append(logins, startLogin(t, s, []string{"BROWSER=" + self, fakeBrowserEnv + "=1", browserGateEnv + "=" + gate},
				"--connection", c.Name, "--config", dir, "--browser"))
		}
		waitReady(t, gate, users)
		if err := os.WriteFile(filepath.Join(gate, "go"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, r := range logins {
			r.wait(t)
			l.check(t, "login output", r.stdout.String()+r.stderr.String())
		}
		checkSharedCache(t, cache, round, upns)
		l.add(cachedSecrets(t, cache)...)
	}

	from := len(s.Entra().Calls())
	p := startAuthPlugin(t, s, l, nil, conns...)
	for _, c := range conns {
		mustScanDevices(t, p, l, c.Name, s.Tenant())
	}
	for _, c := range s.Entra().Calls()[from:] {
		if c.Endpoint == entra.EndpointDeviceCode || c.Endpoint == entra.EndpointAuthorize ||
			(c.Endpoint == entra.EndpointToken && c.GrantType != "refresh_token") {
			t.Errorf("the plugin started a new sign-in: %+v", c)
		}
	}
}

// waitReady waits until n fake browsers have reached gate.
func waitReady(t *testing.T, gate string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ready, err := filepath.Glob(filepath.Join(gate, "ready-*"))
		if err != nil {
			t.Fatal(err)
		}
		if len(ready) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d logins reached the sign-in form within a minute", len(ready), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkSharedCache checks that the cache file is MSAL's JSON, private, and
// holds an account, ID token, access token and refresh token for each of
// upns.
func checkSharedCache(t *testing.T, path string, round int, upns []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	var doc map[string]map[string]map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("round %d: token cache is not valid JSON: %v", round, err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("round %d: token cache mode = %v (%v), want 600", round, st.Mode().Perm(), err)
	}
	var got []string
	for _, a := range doc["Account"] {
		got = append(got, fmt.Sprint(a["username"]))
	}
	for _, upn := range upns {
		if !strings.Contains(strings.Join(got, " "), upn) {
			t.Errorf("round %d: no account for %s in the token cache (accounts: %v)", round, upn, got)
		}
	}
	for _, section := range []string{"Account", "IdToken", "AccessToken", "RefreshToken"} {
		if n := len(doc[section]); n != len(upns) {
			t.Errorf("round %d: %d %s entries, want %d", round, n, section, len(upns))
		}
	}
}
