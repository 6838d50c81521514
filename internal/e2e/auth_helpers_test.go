package e2e

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// The auth scenarios each start their own simulator and plugin process,
// so they never touch the shared srv and plug.

// huntingRole grants the Graph and MDE hunting permissions for any
// resource, for the apps the scenarios register.
var huntingRole = []string{"ThreatHunting.Read.All", "AdvancedQuery.Read.All"}

// testClock is a simulator clock the test moves: real time plus an offset.
type testClock struct{ offset atomic.Int64 }

// Now is the simulator's current time.
func (c *testClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock forward by d.
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// authSim is a simulator for one scenario, with its clock.
type authSim struct {
	*sim.Server
	clock *testClock
}

// startAuthSim starts a small simulator whose clock runs offset from real
// time. edit, when not nil, adjusts the config (apps, users, tenant).
func startAuthSim(t *testing.T, offset time.Duration, edit func(*sim.Config)) *authSim {
	t.Helper()
	clock := &testClock{}
	clock.Advance(offset)
	cfg := sim.Config{
		Dir:  t.TempDir(),
		Now:  clock.Now,
		Data: dataset.Options{Seed: 11, Now: clock.Now().Truncate(time.Second), Rows: 40},
	}
	if edit != nil {
		edit(&cfg)
	}
	s, err := sim.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	watchSim(t, s)
	return &authSim{Server: s, clock: clock}
}

// clearedEnv blanks every variable that selects or carries a credential,
// so the developer's or CI's own environment cannot change a scenario.
var clearedEnv = []string{
	"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
	"AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_USERNAME", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_AUTHORITY_HOST",
	"IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET",
	"IMDS_ENDPOINT", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "BROWSER", "MSAL_FORCE_REGION", "STEAMPIPE_INSTALL_DIR",
}

// isolatedEnv is the whole environment of a login process, and the
// overrides of a plugin process: the simulator's CA, a throwaway HOME, no
// ambient credentials, then extra ("KEY=value"), each replacing the test
// process's own value.
func isolatedEnv(t *testing.T, s *authSim, extra ...string) []string {
	set := []string{"SSL_CERT_FILE=" + s.CAFile(), "HOME=" + t.TempDir(), "STEAMPIPE_LOG_LEVEL=TRACE"}
	for _, k := range clearedEnv {
		set = append(set, k+"=")
	}
	return mergeEnv(os.Environ(), append(set, extra...))
}

// startAuthPlugin starts a plugin process for s with the connections
// conns. Its captured log is checked for l's secrets when the test ends.
func startAuthPlugin(t *testing.T, s *authSim, l *leaks, env []string, conns ...Connection) *Plugin {
	t.Helper()
	p, err := Start(bin, isolatedEnv(t, s, env...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Close()
		l.check(t, "plugin log", p.Log())
	})
	if err := p.SetConnections(conns...); err != nil {
		t.Fatalf("set connections: %v", err)
	}
	return p
}

// simBlock is a connection block for tenant on s, with the credential
// arguments in args ("name", value pairs; a bool value is written bare).
func simBlock(s *authSim, tenant string, args ...any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tenant_id = %q\nauthority_host = %q\napi_endpoint = %q\n", tenant, s.URL(), s.URL())
	for i := 0; i+1 < len(args); i += 2 {
		switch v := args[i+1].(type) {
		case bool:
			fmt.Fprintf(&b, "%s = %t\n", args[i], v)
		default:
			fmt.Fprintf(&b, "%s = %q\n", args[i], v)
		}
	}
	return b.String()
}

// deviceScan reads three rows of defender_device_info through conns.
func deviceScan(conns ...string) Scan {
	return Scan{
		Table: "defender_device_info", Connections: conns, Limit: 3,
		Columns: []string{"timestamp", "device_id", "device_name", "tenant_id"},
	}
}

// authScan runs s with a short timeout; an error is checked for l's secrets.
func authScan(t *testing.T, p *Plugin, l *leaks, s Scan) ([]Row, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := p.Execute(ctx, s)
	if err != nil {
		l.check(t, "query error", err.Error())
	}
	return rows, err
}

// mustScanDevices reads defender_device_info through one connection and
// checks that rows came back, no more than the limit, for tenant.
func mustScanDevices(t *testing.T, p *Plugin, l *leaks, connection, tenant string) []Row {
	t.Helper()
	rows, err := authScan(t, p, l, deviceScan(connection))
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if len(rows) == 0 || len(rows) > 3 {
		t.Fatalf("got %d rows, want 1 to 3", len(rows))
	}
	for _, r := range rows {
		if r["tenant_id"] != tenant {
			t.Errorf("row tenant_id = %v, want %s", r["tenant_id"], tenant)
		}
		if id, _ := r["device_id"].(string); id == "" {
			t.Errorf("row without device_id: %v", r)
		}
	}
	return rows
}

// checkHuntingCallers checks that every hunting call since from succeeded
// and was made by client in tenant, and returns how many there were.
func checkHuntingCallers(t *testing.T, s *authSim, from int, client, tenant string) int {
	t.Helper()
	calls := s.Calls()[from:]
	if len(calls) == 0 {
		t.Fatal("no hunting call reached the simulator")
	}
	for _, c := range calls {
		if c.Status != 200 || c.ClientID != client || c.Tenant != tenant {
			t.Errorf("hunting call: status %d client %q tenant %q, want 200 %q %q", c.Status, c.ClientID, c.Tenant, client, tenant)
		}
	}
	return len(calls)
}

// entraCalls returns the Entra calls to endpoint (and grant type, when
// not empty) made since from.
func entraCalls(s *authSim, from int, endpoint, grant string) []entra.Call {
	var out []entra.Call
	for _, c := range s.Entra().Calls()[from:] {
		if c.Endpoint == endpoint && (grant == "" || c.GrantType == grant) {
			out = append(out, c)
		}
	}
	return out
}

// leaks collects the secrets a scenario uses and fails the test when one
// of them, or anything shaped like a JWT, shows up in text.
type leaks struct {
	mu     sync.Mutex
	values []string
}

var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.`)

// add records secrets; values shorter than six characters are ignored.
func (l *leaks) add(values ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range values {
		if len(v) >= 6 {
			l.values = append(l.values, v)
		}
	}
}

// check reports every recorded secret found in text, without quoting it.
func (l *leaks) check(t *testing.T, where, text string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, v := range l.values {
		if strings.Contains(text, v) {
			t.Errorf("%s contains secret #%d (%d characters)", where, i, len(v))
		}
	}
	if jwtShape.MatchString(text) {
		t.Errorf("%s contains a JWT", where)
	}
}

// newLeaks starts a leak check for a scenario on s, already holding the
// simulator's client secret and managed identity header.
func newLeaks(s *authSim) *leaks {
	l := &leaks{}
	l.add(s.ClientSecret(), s.IdentityHeader())
	return l
}

// huntingStatuses lists the HTTP statuses of hunting calls, for messages.
func huntingStatuses(calls []sim.Call) string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = fmt.Sprint(c.Status)
	}
	return "[" + strings.Join(out, " ") + "]"
}
