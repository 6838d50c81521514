package entra

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

func (f *fixture) public(t *testing.T) public.Client {
	t.Helper()
	pc, err := public.New(publicApp,
		public.WithAuthority(f.authority),
		public.WithInstanceDiscovery(false),
		public.WithHTTPClient(f.client))
	if err != nil {
		t.Fatal(err)
	}
	return pc
}

// wantUserClaims verifies a delegated token and checks its claims.
func (f *fixture) wantUserClaims(t *testing.T, token, upn, oid, audience string, scopes ...string) {
	t.Helper()
	c, err := f.e.Verify(token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.UPN != upn || c.Subject != oid || c.Audience != audience || c.ClientID != publicApp || c.Tenant != tenantA {
		t.Errorf("claims = %+v, want upn %s oid %s aud %s", c, upn, oid, audience)
	}
	if !slices.Equal(c.Scopes, scopes) || len(c.Roles) != 0 {
		t.Errorf("scp = %v roles = %v, want scp %v and no roles", c.Scopes, c.Roles, scopes)
	}
}

var (
	formAction = regexp.MustCompile(`<form method="POST" name="hiddenform" action="([^"]*)">`)
	formInput  = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)"/>`)
)

// browser returns an opener that "clicks through" the sign-in: it follows a
// redirect, or submits the form_post page (what MSAL Go v1.10 asks for) to
// MSAL's local listener, as a browser's script would.
func (f *fixture) browser(t *testing.T) func(string) error {
	return func(u string) error {
		resp, err := f.client.Get(u)
		if err != nil {
			return err
		}
		page, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		m := formAction.FindSubmatch(page)
		if m == nil {
			return nil // a redirect was followed
		}
		form := url.Values{}
		for _, in := range formInput.FindAllSubmatch(page, -1) {
			form.Set(html.UnescapeString(string(in[1])), html.UnescapeString(string(in[2])))
		}
		resp, err = f.client.PostForm(html.UnescapeString(string(m[1])), form)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
}

func TestDeviceCode(t *testing.T) {
	f := newFixture(t, nil)
	pc := f.public(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dc, err := pc.AcquireTokenByDeviceCode(ctx, []string{graph + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	if dc.Result.UserCode == "" || !strings.Contains(dc.Result.Message, dc.Result.UserCode) {
		t.Errorf("device code message %q lacks the user code", dc.Result.Message)
	}
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.wantUserClaims(t, res.AccessToken, aliceUPN, aliceOID, graph, "ThreatHunting.Read.All")
	if res.Account.PreferredUsername != aliceUPN || res.Account.HomeAccountID != aliceOID+"."+tenantA {
		t.Errorf("account = %s %s", res.Account.PreferredUsername, res.Account.HomeAccountID)
	}
	var polls []Call
	for _, c := range f.e.Calls() {
		if c.GrantType == "device_code" {
			polls = append(polls, c)
		}
	}
	if len(polls) != 3 || polls[0].Error != "authorization_pending" || polls[1].Error != "authorization_pending" ||
		polls[0].Status != 400 || polls[2].Status != 200 {
		t.Errorf("device code polls = %+v, want 2 pending then success", polls)
	}
	f.noInstanceDiscovery(t)
}

func TestInteractiveWithPKCE(t *testing.T) {
	f := newFixture(t, nil)
	pc := f.public(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := pc.AcquireTokenInteractive(ctx, []string{graph + "/ThreatHunting.Read.All"},
		public.WithOpenURL(f.browser(t)), public.WithLoginHint(bobUPN))
	if err != nil {
		t.Fatal(err)
	}
	f.wantUserClaims(t, res.AccessToken, bobUPN, bobOID, graph, "ThreatHunting.Read.All")
	if res.Account.PreferredUsername != bobUPN {
		t.Errorf("signed in as %s, want %s", res.Account.PreferredUsername, bobUPN)
	}
	if n := f.count(func(c Call) bool { return c.GrantType == "authorization_code" && c.Status == 200 }); n != 1 {
		t.Errorf("%d successful code redemptions, want 1", n)
	}
	f.noInstanceDiscovery(t)
}

func TestInteractiveUnknownUser(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := f.public(t).AcquireTokenInteractive(ctx, []string{graph + "/.default"},
		public.WithOpenURL(f.browser(t)), public.WithLoginHint("mallory@contoso.example"))
	if err == nil || !strings.Contains(err.Error(), "AADSTS50034") {
		t.Fatalf("err = %v, want the AADSTS50034 error redirect", err)
	}
}

func TestInteractiveUngrantedScope(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := f.public(t).AcquireTokenInteractive(ctx, []string{graph + "/User.Read.All"},
		public.WithOpenURL(f.browser(t)))
	if err == nil || !strings.Contains(err.Error(), "AADSTS65001") {
		t.Fatalf("err = %v, want consent_required (AADSTS65001)", err)
	}
}

// A 5 min 4 s token is cached (MSAL treats tokens within 5 minutes of
// expiry as expired) for about 4 s; after that the silent call redeems the
// refresh token.
func TestSilentRefreshAfterExpiry(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TokenTTL = 5*time.Minute + 4*time.Second })
	pc := f.public(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	scopes := []string{graph + "/.default"}
	first, err := pc.AcquireTokenInteractive(ctx, scopes, public.WithOpenURL(f.browser(t)))
	if err != nil {
		t.Fatal(err)
	}
	cached, err := pc.AcquireTokenSilent(ctx, scopes, public.WithSilentAccount(first.Account))
	if err != nil {
		t.Fatal(err)
	}
	if cached.AccessToken != first.AccessToken {
		t.Error("the fresh token was not served from MSAL's cache")
	}
	time.Sleep(4500 * time.Millisecond)
	refreshed, err := pc.AcquireTokenSilent(ctx, scopes, public.WithSilentAccount(first.Account))
	if err != nil {
		t.Fatal(err)
	}
	if refreshed.AccessToken == first.AccessToken {
		t.Error("the nearly expired token was reused")
	}
	f.wantUserClaims(t, refreshed.AccessToken, aliceUPN, aliceOID, graph, "ThreatHunting.Read.All")
	if n := f.count(func(c Call) bool { return c.GrantType == "refresh_token" && c.Status == 200 }); n != 1 {
		t.Errorf("%d refresh-token redemptions, want 1", n)
	}
	// The refresh token works for another resource too.
	other, err := pc.AcquireTokenSilent(ctx, []string{mde + "/.default"}, public.WithSilentAccount(first.Account))
	if err != nil {
		t.Fatal(err)
	}
	f.wantUserClaims(t, other.AccessToken, aliceUPN, aliceOID, mde, "AdvancedQuery.Read")
}

func TestRevokedRefreshToken(t *testing.T) {
	f := newFixture(t, nil)
	pc := f.public(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	first, err := pc.AcquireTokenInteractive(ctx, []string{graph + "/.default"}, public.WithOpenURL(f.browser(t)))
	if err != nil {
		t.Fatal(err)
	}
	f.e.RevokeUser(aliceUPN)
	// No token is cached for MDE, so MSAL must redeem the revoked refresh token.
	_, err = pc.AcquireTokenSilent(ctx, []string{mde + "/.default"}, public.WithSilentAccount(first.Account))
	if err == nil {
		t.Fatal("a revoked refresh token was redeemed")
	}
	status, body := msalError(t, err)
	if status != http.StatusBadRequest || body.Error != "invalid_grant" || !slices.Equal(body.ErrorCodes, []int{700082}) {
		t.Errorf("got %d %s %v, want 400 invalid_grant [700082]", status, body.Error, body.ErrorCodes)
	}
}
