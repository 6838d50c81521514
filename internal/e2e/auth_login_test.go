package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// fakeBrowserEnv, set to 1, makes the test binary act as the browser that
// "login --browser" starts through $BROWSER: it loads the sign-in URL
// given as its last argument from the simulator, which answers with a
// form_post page, and submits that form to MSAL's loopback listener, as a
// browser's script would.
const fakeBrowserEnv = "DEFENDER_E2E_FAKE_BROWSER"

// browserGateEnv names a directory where the fake browser, once it has
// the sign-in form, creates ready-<pid> and then waits for a file named
// go before submitting, so that a test can release several logins'
// token cache writes at the same moment.
const browserGateEnv = "DEFENDER_E2E_BROWSER_GATE"

func init() {
	if os.Getenv(fakeBrowserEnv) != "1" {
		return
	}
	if err := fakeBrowse(os.Args[len(os.Args)-1]); err != nil {
		fmt.Fprintln(os.Stderr, "fake browser:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

var (
	formAction = regexp.MustCompile(`<form[^>]*action="([^"]+)"`)
	formInput  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// fakeBrowse trusts the simulator's CA through SSL_CERT_FILE, which the
// login process passes on.
func fakeBrowse(u string) error {
	browser := &http.Client{Timeout: 20 * time.Second}
	resp, err := browser.Get(u)
	if err != nil {
		return err
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	action := formAction.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || action == nil {
		return fmt.Errorf("sign-in page answered %s without a form", resp.Status)
	}
	form := url.Values{}
	for _, m := range formInput.FindAllSubmatch(page, -1) {
		form.Set(html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2])))
	}
	if gate := os.Getenv(browserGateEnv); gate != "" {
		if err := waitAtGate(gate); err != nil {
			return err
		}
	}
	resp, err = browser.PostForm(html.UnescapeString(string(action[1])), form)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the loopback listener answered %s", resp.Status)
	}
	return nil
}

// waitAtGate announces the fake browser in gate and waits for gate/go.
func waitAtGate(gate string) error {
	if err := os.WriteFile(filepath.Join(gate, fmt.Sprintf("ready-%d", os.Getpid())), nil, 0o600); err != nil {
		return err
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(gate, "go")); err == nil {
			return nil
		}
	}
	return fmt.Errorf("no go in %s within a minute", gate)
}

// userConnection writes a .spc file with one delegated connection to a
// new config directory and returns the directory, the connection's body
// and its token cache path (in a directory that does not exist yet).
func userConnection(t *testing.T, s *authSim, name string) (dir, body, cache string) {
	t.Helper()
	dir = t.TempDir()
	cache = filepath.Join(t.TempDir(), "tokens", name+".json")
	body = simBlock(s, s.Tenant(), "client_id", sim.DemoPublicClientID, "username", sim.DemoUser, "token_cache_path", cache)
	spc := fmt.Sprintf("connection %q {\n  plugin = \"local/defender\"\n%s}\n", name, body)
	if err := os.WriteFile(filepath.Join(dir, "defender.spc"), []byte(spc), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, body, cache
}

// loginRun is a running "defender.plugin login" process.
type loginRun struct {
	cmd    *exec.Cmd
	lines  chan string
	stdout bytes.Buffer
	stderr bytes.Buffer
}

// startLogin runs the plugin binary's login command with args.
func startLogin(t *testing.T, s *authSim, env []string, args ...string) *loginRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	r := &loginRun{cmd: exec.CommandContext(ctx, bin, append([]string{"login"}, args...)...), lines: make(chan string, 16)}
	r.cmd.Env = isolatedEnv(t, s, env...)
	r.cmd.Stderr = &r.stderr
	out, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(r.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			r.stdout.WriteString(sc.Text() + "\n")
			r.lines <- sc.Text()
		}
	}()
	return r
}

// wait drains the output and waits for the process to exit.
func (r *loginRun) wait(t *testing.T) {
	t.Helper()
	for range r.lines {
	}
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("login: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout.String(), r.stderr.String())
	}
}

// cachedSecrets returns every "secret" in an MSAL cache file: the access
// and refresh tokens.
func cachedSecrets(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("token cache is not MSAL's JSON: %v", err)
	}
	var out []string
	for _, section := range []string{"AccessToken", "RefreshToken"} {
		for _, entry := range doc[section] {
			if v, _ := entry["secret"].(string); v != "" {
				out = append(out, v)
			}
		}
		if len(doc[section]) == 0 {
			t.Errorf("token cache has no %s", section)
		}
	}
	return out
}

// checkCacheAndQuery checks the token cache a login left, then queries
// through a plugin process that uses it, checks that no further sign-in
// was started, and returns the plugin.
func checkCacheAndQuery(t *testing.T, s *authSim, l *leaks, name, body, cache string, login *loginRun) *Plugin {
	t.Helper()
	st, err := os.Stat(cache)
	if err != nil {
		t.Fatalf("no token cache after login: %v", err)
	}
	if mode := st.Mode().Perm(); mode != 0o600 {
		t.Errorf("token cache mode = %o, want 600", mode)
	}
	l.add(cachedSecrets(t, cache)...)
	l.check(t, "login output", login.stdout.String()+login.stderr.String())
	if !strings.Contains(login.stdout.String(), "Signed in as "+sim.DemoUser) || !strings.Contains(login.stdout.String(), cache) {
		t.Errorf("login output does not confirm the sign-in and the cache path:\n%s", login.stdout.String())
	}

	from := len(s.Entra().Calls())
	p := startAuthPlugin(t, s, l, nil, Connection{Name: name, Config: body})
	mustScanDevices(t, p, l, name, s.Tenant())
	checkHuntingCallers(t, s, 0, sim.DemoPublicClientID, s.Tenant())
	for _, c := range s.Entra().Calls()[from:] {
		if c.Endpoint == entra.EndpointDeviceCode || c.Endpoint == entra.EndpointAuthorize ||
			(c.Endpoint == entra.EndpointToken && c.GrantType != "refresh_token") {
			t.Errorf("the plugin started a new sign-in: %+v", c)
		}
	}
	return p
}

func TestLoginDeviceCode(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	dir, body, cache := userConnection(t, s, "defender_user")
	login := startLogin(t, s, nil, "--connection", "defender_user", "--config", dir)

	// The instructions come before the simulator approves the code.
	select {
	case first, ok := <-login.lines:
		if !ok {
			login.wait(t)
			t.Fatal("login printed nothing")
		}
		if !strings.Contains(first, s.URL()+"/") || !strings.Contains(first, "enter the code") {
			t.Errorf("first line is not the device code message: %q", first)
		}
		if _, err := os.Stat(cache); err == nil {
			t.Error("the token cache exists before the device code was approved")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no device code message within 30s")
	}
	login.wait(t)

	codes := entraCalls(s, 0, entra.EndpointDeviceCode, "")
	if len(codes) != 1 || codes[0].ClientID != sim.DemoPublicClientID || codes[0].Tenant != s.Tenant() {
		t.Errorf("device code requests = %+v, want one by the public client", codes)
	}
	var polls []entra.Call
	for _, c := range entraCalls(s, 0, entra.EndpointToken, "") {
		if strings.HasSuffix(c.GrantType, "device_code") {
			polls = append(polls, c)
		}
	}
	if len(polls) < 2 || polls[0].Error != "authorization_pending" || polls[len(polls)-1].Status != 200 {
		t.Errorf("device code polls = %+v, want pending answers then a token", polls)
	}
	p := checkCacheAndQuery(t, s, l, "defender_user", body, cache, login)

	// Once the simulator's clock has passed the access token's expiry, the
	// refused call is repeated with a token from the refresh token.
	s.clock.Advance(2 * time.Hour)
	calls, from := len(s.Calls()), len(s.Entra().Calls())
	mustScanDevices(t, p, l, "defender_user", s.Tenant())
	if got := s.Calls()[calls:]; len(got) != 2 || got[0].Status != http.StatusUnauthorized || got[1].Status != http.StatusOK {
		t.Errorf("hunting calls = %s, want a 401 then a 200", huntingStatuses(got))
	}
	if redeemed := entraCalls(s, from, entra.EndpointToken, "refresh_token"); len(redeemed) != 1 || redeemed[0].Status != http.StatusOK {
		t.Errorf("refresh token redemptions = %+v, want one", redeemed)
	}
}

// TestLoginBrowser drives "login --browser" with the test binary as the
// browser, through $BROWSER.
func TestLoginBrowser(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	dir, body, cache := userConnection(t, s, "defender_user")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	login := startLogin(t, s, []string{"BROWSER=" + self, fakeBrowserEnv + "=1"},
		"--connection", "defender_user", "--config", dir, "--browser")
	login.wait(t)

	auth := entraCalls(s, 0, entra.EndpointAuthorize, "")
	if len(auth) != 1 || auth[0].ClientID != sim.DemoPublicClientID || auth[0].Status != 200 {
		t.Errorf("authorize requests = %+v, want one answered with the form_post page", auth)
	}
	if redeemed := entraCalls(s, 0, entra.EndpointToken, "authorization_code"); len(redeemed) != 1 || redeemed[0].Status != 200 {
		t.Errorf("code redemptions = %+v, want one", redeemed)
	}
	if n := len(entraCalls(s, 0, entra.EndpointDeviceCode, "")); n != 0 {
		t.Errorf("%d device code requests in a browser login", n)
	}
	p := checkCacheAndQuery(t, s, l, "defender_user", body, cache, login)

	// With the user's sessions revoked and the access token expired, the
	// query fails and names the command that signs in again.
	s.Entra().RevokeUser(sim.DemoUser)
	s.clock.Advance(2 * time.Hour)
	_, err = authScan(t, p, l, deviceScan("defender_user"))
	if err == nil || !strings.Contains(err.Error(), bin+" login --connection defender_user") {
		t.Errorf("error = %v, want one naming the login command", err)
	}
}
