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

// Client ids of the apps the Azure CLI scenarios register: the Azure
// CLI's own, whose users hold the hunting permission, and one whose users
// do not.
const (
	azureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	weakCLIClientID  = "6d2a4f81-93c5-4b7e-a0d6-1e8f5c3b9a27"
)

// fakeAz is a directory holding a fake az script, which logs its
// arguments and prints token.json, or fails with stderr.txt when that
// file exists. It uses shell builtins only, so PATH can hold just its
// directory.
type fakeAz struct{ dir string }

func newFakeAz(t *testing.T) fakeAz {
	t.Helper()
	f := fakeAz{dir: t.TempDir()}
	script := `#!/bin/sh
echo "$*" >> "` + f.dir + `/calls.txt"
if [ -f "` + f.dir + `/stderr.txt" ]; then
  while IFS= read -r line; do echo "$line" >&2; done < "` + f.dir + `/stderr.txt"
  exit 1
fi
while IFS= read -r line || [ -n "$line" ]; do echo "$line"; done < "` + f.dir + `/token.json"
`
	if err := os.WriteFile(filepath.Join(f.dir, "az"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// answer makes az print token, expiring at exp, in the form of CLI 2.54
// and later (epoch expires_on) or of older versions (local expiresOn).
func (f fakeAz) answer(t *testing.T, token string, exp time.Time, epoch bool) {
	t.Helper()
	v := map[string]any{"accessToken": token, "expiresOn": exp.Local().Format("2006-01-02 15:04:05.000000"),
		"subscription": "1c2d3e4f-0000-4000-8000-000000000000", "tenant": sim.DemoTenant, "tokenType": "Bearer"}
	if epoch {
		v["expires_on"] = exp.Unix()
	}
	b, _ := json.Marshal(v)
	if err := os.WriteFile(filepath.Join(f.dir, "token.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(f.dir, "stderr.txt"))
}

// fail makes az exit 1 with stderr.
func (f fakeAz) fail(t *testing.T, stderr string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, "stderr.txt"), []byte(stderr), 0o600); err != nil {
		t.Fatal(err)
	}
}

// calls returns the argument lists az was run with.
func (f fakeAz) calls() []string {
	b, _ := os.ReadFile(filepath.Join(f.dir, "calls.txt"))
	return strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(b)), " ", "\x00"))
}

// cliSim is a simulator where the Azure CLI's users hold the hunting
// permission and weakCLIClientID's do not.
func cliSim(t *testing.T) *authSim {
	return startAuthSim(t, 0, withDemoApps(
		entra.App{ClientID: azureCLIClientID, Tenant: sim.DemoTenant, PublicClient: true, DelegatedScopes: huntingRole},
		entra.App{ClientID: weakCLIClientID, Tenant: sim.DemoTenant, PublicClient: true},
	))
}

// mintCLIToken is the Graph token az would hold for the demo user
// signed in through app.
func mintCLIToken(t *testing.T, s *authSim, l *leaks, app string) string {
	t.Helper()
	tok, _, err := s.Entra().MintUserToken(s.URL(), app, sim.DemoUser, "https://graph.microsoft.com")
	if err != nil {
		t.Fatal(err)
	}
	l.add(tok)
	return tok
}

// TestAuthAzureCLI checks the Azure CLI credential of connections that
// name none: the token az prints is used for the Graph resource and the
// connection's tenant, kept until five minutes before the expiry az
// reports (in either of its formats), and a user without the permission,
// or az without a signed-in user, gets an error saying what to do.
func TestAuthAzureCLI(t *testing.T) {
	s := cliSim(t)
	l := newLeaks(s)
	az := newFakeAz(t)
	tenant := s.Tenant()
	p := startAuthPlugin(t, s, l, []string{"PATH=" + az.dir},
		Connection{Name: "cli", Config: simBlock(s, tenant)},
		Connection{Name: "cli_short", Config: simBlock(s, tenant)},
		Connection{Name: "cli_weak", Config: simBlock(s, tenant)},
		Connection{Name: "cli_signed_out", Config: simBlock(s, tenant)},
	)
	token := mintCLIToken(t, s, l, azureCLIClientID)

	// An hour of validity: the second query reuses the token.
	az.answer(t, token, time.Now().Add(time.Hour), true)
	mustScanDevices(t, p, l, "cli", tenant)
	mustScanDevices(t, p, l, "cli", tenant)
	want := fmt.Sprintf("account\x00get-access-token\x00--output\x00json\x00--resource\x00https://graph.microsoft.com\x00--tenant\x00%s", tenant)
	if got := az.calls(); len(got) != 1 || got[0] != want {
		t.Fatalf("az calls = %q, want one: %q", got, want)
	}
	checkHuntingCallers(t, s, 0, azureCLIClientID, tenant)

	// Two minutes left, reported as a local time (CLI before 2.54): each
	// query asks az again, while the first connection keeps its token.
	az.answer(t, token, time.Now().Add(2*time.Minute), false)
	mustScanDevices(t, p, l, "cli_short", tenant)
	mustScanDevices(t, p, l, "cli_short", tenant)
	mustScanDevices(t, p, l, "cli", tenant)
	if n := len(az.calls()); n != 3 {
		t.Errorf("az ran %d times, want 3 (1 + 2 for the short-lived token)", n)
	}
	if n := len(entraCalls(s, 0, entra.EndpointToken, "")); n != 0 {
		t.Errorf("the Azure CLI connections made %d token requests to Entra ID", n)
	}

	az.answer(t, mintCLIToken(t, s, l, weakCLIClientID), time.Now().Add(time.Hour), true)
	_, err := authScan(t, p, l, deviceScan("cli_weak"))
	if err == nil || !strings.Contains(err.Error(), "403") ||
		!strings.Contains(err.Error(), "user signed in to the Azure CLI needs the delegated permission ThreatHunting.Read.All") {
		t.Errorf("a user without the permission: error %v, want a 403 naming the delegated permission", err)
	}

	az.fail(t, "ERROR: Please run 'az login' to setup account.\n")
	_, err = authScan(t, p, l, deviceScan("cli_signed_out"))
	if err == nil || !strings.Contains(err.Error(), "not signed in") || !strings.Contains(err.Error(), "run `az login --tenant "+tenant+"`") {
		t.Errorf("az without a signed-in user: error %v, want advice to run az login", err)
	}
}

// TestAuthAzureCLIMissing checks the error when az is not on PATH, and
// that use_azure_cli = false leaves a connection without a credential.
func TestAuthAzureCLIMissing(t *testing.T) {
	s := cliSim(t)
	l := newLeaks(s)
	p := startAuthPlugin(t, s, l, []string{"PATH=" + t.TempDir()},
		Connection{Name: "no_az", Config: simBlock(s, s.Tenant())},
		Connection{Name: "cli_off", Config: simBlock(s, s.Tenant(), "use_azure_cli", false)},
	)
	_, err := authScan(t, p, l, deviceScan("no_az"))
	if err == nil || !strings.Contains(err.Error(), "Azure CLI (az) is not installed") || !strings.Contains(err.Error(), "configure a credential") {
		t.Errorf("az missing: error %v, want advice to install the Azure CLI or configure a credential", err)
	}
	_, err = authScan(t, p, l, deviceScan("cli_off"))
	if err == nil || !strings.Contains(err.Error(), "no credential is configured and use_azure_cli = false") {
		t.Errorf("use_azure_cli = false: error %v, want no credential", err)
	}
	if n := len(s.Calls()); n != 0 {
		t.Errorf("%d hunting calls without a credential", n)
	}
}
