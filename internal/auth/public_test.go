package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// userConfig is a delegated connection for alice with its cache file in a
// fresh, not yet existing directory.
func userConfig(t *testing.T, s *sim) auth.Config {
	c := s.config()
	c.ClientID, c.Username = publicApp, alice
	c.TokenCachePath = filepath.Join(t.TempDir(), "steampipe", "internal", "defender", "test.tokencache.json")
	return c
}

// captureLog sends the standard logger to a buffer for the test.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	log.SetOutput(&buf)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &buf
}

func TestDeviceCodeLoginThenSilentToken(t *testing.T) {
	logs := captureLog(t)
	s := newSim(t, func(c *entra.Config) { c.DeviceCodePolls = 2 })
	c := userConfig(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var out bytes.Buffer
	if err := auth.Login(ctx, c, false, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "code") || !strings.Contains(out.String(), "Signed in as "+alice) {
		t.Errorf("login output = %q", out.String())
	}
	if n := s.count(entra.EndpointDeviceCode, ""); n != 1 {
		t.Errorf("device code requests = %d, want 1", n)
	}
	if n := s.count(entra.EndpointToken, "device_code"); n != 3 {
		t.Errorf("device code polls = %d, want 3 (two pending, then approved)", n)
	}
	fi, err := os.Stat(c.TokenCachePath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode = %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(filepath.Dir(c.TokenCachePath))
	if err != nil || di.Mode().Perm() != 0o700 {
		t.Errorf("cache dir mode = %v (%v), want 0700", di.Mode().Perm(), err)
	}
	rts := refreshTokens(t, c.TokenCachePath)
	if len(rts) != 1 {
		t.Fatalf("cache holds %d refresh tokens, want 1", len(rts))
	}

	// A new source, as in the plugin process, finds the sign-in and
	// answers from the cached access token without any request.
	before := len(s.entra.Calls())
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	claims := s.verify(t, tok)
	if claims.UPN != alice || claims.ClientID != publicApp {
		t.Errorf("claims = %+v", claims)
	}
	if calls := s.entra.Calls()[before:]; len(calls) != 0 {
		t.Errorf("silent token made requests: %+v", calls)
	}

	var leaks leakCheck
	leaks.add(tok)
	leaks.add(rts...)
	leaks.check(t, "login output", out.String())
	leaks.check(t, "log output", logs.String())
}

func TestInteractiveLogin(t *testing.T) {
	s := newSim(t, nil)
	c := userConfig(t, s)
	var opened string
	c.OpenURL = func(u string) error {
		opened = u
		return browse(s, u)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := auth.Login(ctx, c, true, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(opened, s.srv.URL+"/"+tenant+"/oauth2/v2.0/authorize?") ||
		!strings.Contains(opened, "code_challenge_method=S256") || !strings.Contains(opened, "login_hint=alice%40contoso.example") {
		t.Errorf("browser opened %q", opened)
	}
	if n := s.count(entra.EndpointToken, "authorization_code"); n != 1 {
		t.Errorf("code redemptions = %d, want 1", n)
	}
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.verify(t, tok).UPN; got != alice {
		t.Errorf("token for %q", got)
	}
}

func TestInteractiveLoginBrowserFails(t *testing.T) {
	s := newSim(t, nil)
	c := userConfig(t, s)
	c.OpenURL = func(string) error { return errors.New("no browser on this host") }
	err := auth.Login(context.Background(), c, true, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no browser on this host") {
		t.Errorf("err = %v", err)
	}
	if _, statErr := os.Stat(c.TokenCachePath); statErr == nil {
		t.Error("a failed login wrote a cache file")
	}
}

var (
	formAction = regexp.MustCompile(`<form[^>]*action="([^"]+)"`)
	formInput  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
)

// browse is a stand-in browser: it loads u from the simulator and submits
// the form_post page it gets back to MSAL's loopback listener.
func browse(s *sim, u string) error {
	browser := &http.Client{Transport: s.srv.Client().Transport, Timeout: 10 * time.Second}
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
		return fmt.Errorf("authorize answered %s without a form: %s", resp.Status, page)
	}
	form := url.Values{}
	for _, m := range formInput.FindAllSubmatch(page, -1) {
		form.Set(html.UnescapeString(string(m[1])), html.UnescapeString(string(m[2])))
	}
	resp, err = browser.PostForm(html.UnescapeString(string(action[1])), form)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("redirect listener answered %s", resp.Status)
	}
	return nil
}

// With access tokens shorter than MSAL's five-minute margin, every call
// redeems the refresh token; the tokens stay valid.
func TestExpiredAccessTokenIsRefreshed(t *testing.T) {
	s := newSim(t, func(c *entra.Config) { c.TokenTTL = 2 * time.Minute })
	c := userConfig(t, s)
	ctx := context.Background()
	if err := auth.Login(ctx, c, false, io.Discard); err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	var last string
	for i := 1; i <= 2; i++ {
		tok, err := src.Token(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if tok == last {
			t.Error("an expired access token was reused")
		}
		last = tok
		s.verify(t, tok)
		if n := s.count(entra.EndpointToken, "refresh_token"); n != i {
			t.Errorf("after call %d: refresh redemptions = %d", i, n)
		}
	}
}

func TestFreshForcesNewUserToken(t *testing.T) {
	s := newSim(t, nil)
	c := userConfig(t, s)
	ctx := context.Background()
	if err := auth.Login(ctx, c, false, io.Discard); err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	t1, err := src.Token(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := src.Token(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if t2 == t1 {
		t.Error("fresh=true returned the cached token")
	}
	s.verify(t, t2)
	if n := s.count(entra.EndpointToken, "refresh_token"); n != 1 {
		t.Errorf("refresh redemptions = %d, want 1", n)
	}
	// The new token was saved: a new process gets it without a request.
	other, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	t3, err := other.Token(ctx, false)
	if err != nil || t3 != t2 {
		t.Errorf("new source did not reuse the fresh token (err %v)", err)
	}
}

func TestRevokedRefreshTokenNeedsLogin(t *testing.T) {
	logs := captureLog(t)
	s := newSim(t, func(c *entra.Config) { c.TokenTTL = 2 * time.Minute })
	c := userConfig(t, s)
	ctx := context.Background()
	if err := auth.Login(ctx, c, false, io.Discard); err != nil {
		t.Fatal(err)
	}
	rts := refreshTokens(t, c.TokenCachePath)
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	s.entra.RevokeUser(alice)
	_, err = src.Token(ctx, false)
	if !errors.Is(err, auth.ErrLoginRequired) {
		t.Fatalf("err = %v, want ErrLoginRequired", err)
	}
	for _, want := range []string{"invalid_grant", "AADSTS700082", loginCmdTxt, tenant, publicApp} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var leaks leakCheck
	leaks.add(rts...)
	leaks.check(t, "error", err.Error())
	leaks.check(t, "log output", logs.String())

	// Signing in again repairs the connection.
	if err := auth.Login(ctx, c, false, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(ctx, false); err != nil {
		t.Errorf("after a new login: %v", err)
	}
}

func TestMissingSignInNeedsLogin(t *testing.T) {
	s := newSim(t, nil)
	c := userConfig(t, s)
	ctx := context.Background()
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(ctx, false)
	if !errors.Is(err, auth.ErrLoginRequired) || !strings.Contains(err.Error(), c.TokenCachePath) || !strings.Contains(err.Error(), loginCmdTxt) {
		t.Errorf("no cache file: %v", err)
	}

	// A cache holding another user's sign-in does not serve alice.
	bobCfg := c
	bobCfg.Username = bob
	s2 := newSim(t, func(cfg *entra.Config) { cfg.Users[0], cfg.Users[1] = cfg.Users[1], cfg.Users[0] })
	bobCfg.AuthorityHost, bobCfg.HTTPClient = s2.srv.URL, s2.client
	if err := auth.Login(ctx, bobCfg, false, io.Discard); err != nil {
		t.Fatal(err)
	}
	aliceCfg := bobCfg
	aliceCfg.Username = alice
	src, err = auth.NewTokenSource(aliceCfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(ctx, false)
	if !errors.Is(err, auth.ErrLoginRequired) || !strings.Contains(err.Error(), alice+" has not signed in") {
		t.Errorf("other user's cache: %v", err)
	}
	if n := s2.count(entra.EndpointToken, ""); n != 1 {
		t.Errorf("token requests = %d, want only the login's", n)
	}
}

// The simulator approves device codes for the tenant's first user, alice;
// a connection configured for bob must refuse that sign-in.
func TestLoginAsWrongUser(t *testing.T) {
	s := newSim(t, nil)
	c := userConfig(t, s)
	c.Username = bob
	err := auth.Login(context.Background(), c, false, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "signed in as "+alice) || !strings.Contains(err.Error(), bob) {
		t.Fatalf("err = %v", err)
	}
	c.Username = alice
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(context.Background(), false); !errors.Is(err, auth.ErrLoginRequired) {
		t.Errorf("the refused account stayed in the cache: %v", err)
	}
}

func TestLoginNeedsUserConnection(t *testing.T) {
	s := newSim(t, nil)
	c := s.config()
	c.ClientID, c.ClientSecret = secretApp, theSecret
	err := auth.Login(context.Background(), c, false, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "client_secret") || !strings.Contains(err.Error(), "username") {
		t.Errorf("err = %v", err)
	}
	if len(s.entra.Calls()) != 0 {
		t.Errorf("a refused login contacted Entra: %+v", s.entra.Calls())
	}
}

// An account whose refresh token is gone from the cache file needs a new
// sign-in, not a retry.
func TestCacheWithoutRefreshTokenNeedsLogin(t *testing.T) {
	s := newSim(t, func(c *entra.Config) { c.TokenTTL = 2 * time.Minute })
	c := userConfig(t, s)
	ctx := context.Background()
	if err := auth.Login(ctx, c, false, io.Discard); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(c.TokenCachePath)
	if err != nil {
		t.Fatal(err)
	}
	var cache map[string]json.RawMessage
	if err := json.Unmarshal(raw, &cache); err != nil {
		t.Fatal(err)
	}
	cache["RefreshToken"] = json.RawMessage(`{}`)
	raw, _ = json.Marshal(cache)
	if err := os.WriteFile(c.TokenCachePath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(ctx, false)
	if !errors.Is(err, auth.ErrLoginRequired) || !strings.Contains(err.Error(), "no refresh token") || !strings.Contains(err.Error(), loginCmdTxt) {
		t.Errorf("err = %v", err)
	}
}
