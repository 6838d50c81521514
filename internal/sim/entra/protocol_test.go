package entra

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

func TestDiscoveryDocumentAndKeys(t *testing.T) {
	f := newFixture(t, nil)
	resp, err := f.client.Get(f.authority + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	doc := decodeBody(t, resp.Body)
	resp.Body.Close()
	for k, want := range map[string]string{
		"issuer":                        f.authority + "/v2.0",
		"token_endpoint":                f.authority + "/oauth2/v2.0/token",
		"authorization_endpoint":        f.authority + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint": f.authority + "/oauth2/v2.0/devicecode",
		"jwks_uri":                      f.authority + "/discovery/v2.0/keys",
	} {
		if doc[k] != want {
			t.Errorf("%s = %v, want %s", k, doc[k], want)
		}
	}
	resp, err = f.client.Get(doc["jwks_uri"].(string))
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []jwk }
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	tok, _ := f.e.appToken(f.srv.URL, f.e.app(secretApp), graph)
	parsed, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k.Kid == tk.Header["kid"] {
				// Rebuild the key from the JWKS alone, as a relying party would.
				return rsaFromJWK(t, k), nil
			}
		}
		return nil, jwt.ErrTokenUnverifiable
	}, jwt.WithValidMethods([]string{"RS256"}))
	if err != nil || !parsed.Valid {
		t.Errorf("token did not verify with the published JWKS: %v", err)
	}

	status, body := f.get(t, "/"+uuid.NewString()+"/v2.0/.well-known/openid-configuration")
	wantError(t, status, body, http.StatusBadRequest, "invalid_tenant", 90002)
}

func TestTokenEndpointErrors(t *testing.T) {
	f := newFixture(t, nil)
	tokenPath := "/" + tenantA + "/oauth2/v2.0/token"
	cases := []struct {
		name   string
		path   string
		form   url.Values
		status int
		code   string
		aadsts int
	}{
		{"unknown tenant", "/" + uuid.NewString() + "/oauth2/v2.0/token",
			url.Values{"grant_type": {"client_credentials"}, "client_id": {secretApp}, "client_secret": {goodSecret}, "scope": {graph + "/.default"}},
			400, "invalid_request", 90002},
		{"unknown client", tokenPath,
			url.Values{"grant_type": {"client_credentials"}, "client_id": {uuid.NewString()}, "client_secret": {goodSecret}, "scope": {graph + "/.default"}},
			400, "unauthorized_client", 700016},
		{"missing client id", tokenPath,
			url.Values{"grant_type": {"client_credentials"}, "scope": {graph + "/.default"}},
			400, "invalid_request", 900144},
		{"explicit scope in an app flow", tokenPath,
			url.Values{"grant_type": {"client_credentials"}, "client_id": {secretApp}, "client_secret": {goodSecret}, "scope": {graph + "/ThreatHunting.Read.All"}},
			400, "invalid_scope", 1002012},
		{"only OIDC scopes in an app flow", tokenPath,
			url.Values{"grant_type": {"client_credentials"}, "client_id": {secretApp}, "client_secret": {goodSecret}, "scope": {"openid offline_access profile"}},
			400, "invalid_scope", 1002012},
		{"two resources", tokenPath,
			url.Values{"grant_type": {"client_credentials"}, "client_id": {secretApp}, "client_secret": {goodSecret}, "scope": {graph + "/.default " + mde + "/.default"}},
			400, "invalid_scope", 28000},
		{"unsupported grant", tokenPath,
			url.Values{"grant_type": {"password"}, "client_id": {publicApp}},
			400, "unsupported_grant_type", 70003},
		{"unknown refresh token", tokenPath,
			url.Values{"grant_type": {"refresh_token"}, "client_id": {publicApp}, "refresh_token": {"1.sim.nope"}, "scope": {graph + "/.default"}},
			400, "invalid_grant", 9002313},
		{"unknown device code", tokenPath,
			url.Values{"grant_type": {"device_code"}, "client_id": {publicApp}, "device_code": {"nope"}},
			400, "invalid_grant", 70000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := f.postForm(t, c.path, c.form)
			wantError(t, status, body, c.status, c.code, c.aadsts)
			if strings.Contains(body["error_description"].(string), goodSecret) {
				t.Error("the secret was echoed")
			}
		})
	}
	f.noInstanceDiscovery(t)
}

func TestInstanceDiscoveryIsCounted(t *testing.T) {
	f := newFixture(t, nil)
	f.get(t, "/common/discovery/instance?api-version=1.1")
	if n := f.count(func(c Call) bool { return c.Endpoint == EndpointInstanceDiscovery }); n != 1 {
		t.Errorf("instance discovery counted %d times, want 1", n)
	}
}

// assertion builds a client assertion for certApp signed with the
// fixture's certificate key, with the thumbprint in base64url.
func (f *fixture) assertion(t *testing.T, aud string, exp time.Time) string {
	t.Helper()
	sum := sha256.Sum256(f.cert.Raw)
	tok := jwt.NewWithClaims(jwt.SigningMethodPS256, jwt.MapClaims{
		"aud": aud, "iss": certApp, "sub": certApp, "jti": uuid.NewString(),
		"nbf": time.Now().Unix(), "exp": exp.Unix(),
	})
	tok.Header["x5t#S256"] = base64.RawURLEncoding.EncodeToString(sum[:])
	s, err := tok.SignedString(f.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestClientAssertionChecks(t *testing.T) {
	f := newFixture(t, nil)
	path := "/" + tenantA + "/oauth2/v2.0/token"
	endpoint := f.srv.URL + path
	form := func(a string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {certApp}, "scope": {graph + "/.default"},
			"client_assertion_type": {assertionTypeJWT}, "client_assertion": {a}}
	}
	good := f.assertion(t, endpoint, time.Now().Add(5*time.Minute))
	if status, body := f.postForm(t, path, form(good)); status != http.StatusOK || body["access_token"] == nil {
		t.Fatalf("a base64url thumbprint was refused: %d %v", status, body)
	}
	status, body := f.postForm(t, path, form(good))
	wantError(t, status, body, http.StatusUnauthorized, "invalid_client", 700027) // replayed jti

	status, body = f.postForm(t, path, form(f.assertion(t, f.srv.URL+"/"+tenantB+"/oauth2/v2.0/token", time.Now().Add(5*time.Minute))))
	wantError(t, status, body, http.StatusUnauthorized, "invalid_client", 700212)

	status, body = f.postForm(t, path, form(f.assertion(t, endpoint, time.Now().Add(-5*time.Minute))))
	wantError(t, status, body, http.StatusUnauthorized, "invalid_client", 700024)

	wrongType := form(f.assertion(t, endpoint, time.Now().Add(5*time.Minute)))
	wrongType.Set("client_assertion_type", "urn:example:other")
	status, body = f.postForm(t, path, wrongType)
	wantError(t, status, body, http.StatusBadRequest, "invalid_request", 50027)
}

// authorizeQuery runs the authorize step without following the redirect
// and returns the redirect's query.
func (f *fixture) authorizeQuery(t *testing.T, q url.Values) url.Values {
	t.Helper()
	c := *f.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(f.authority + "/oauth2/v2.0/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query()
}

func pkce(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func TestAuthorizationCodeChecks(t *testing.T) {
	f := newFixture(t, nil)
	const redirect = "http://localhost:53117"
	verifier := "a-verifier-of-sufficient-length-0123456789abcdef"
	authorize := func() string {
		q := f.authorizeQuery(t, url.Values{
			"client_id": {publicApp}, "response_type": {"code"}, "redirect_uri": {redirect},
			"scope": {graph + "/.default openid offline_access profile"}, "state": {"st-1"},
			"code_challenge": {pkce(verifier)}, "code_challenge_method": {"S256"},
		})
		if q.Get("state") != "st-1" || q.Get("code") == "" {
			t.Fatalf("redirect query = %v", q)
		}
		return q.Get("code")
	}
	path := "/" + tenantA + "/oauth2/v2.0/token"
	redeem := func(code, redirectURI, v string) (int, map[string]any) {
		return f.postForm(t, path, url.Values{"grant_type": {"authorization_code"}, "client_id": {publicApp},
			"code": {code}, "redirect_uri": {redirectURI}, "code_verifier": {v}, "scope": {graph + "/.default openid offline_access profile"}})
	}

	status, body := redeem(authorize(), redirect, "the-wrong-verifier-0123456789abcdefghijklmnop")
	wantError(t, status, body, http.StatusBadRequest, "invalid_grant", 501481)

	status, body = redeem(authorize(), "http://localhost:9999", verifier)
	wantError(t, status, body, http.StatusBadRequest, "invalid_grant", 70000)

	code := authorize()
	status, body = redeem(code, redirect, verifier)
	if status != http.StatusOK {
		t.Fatalf("redemption failed: %v", body)
	}
	ci, err := base64.RawURLEncoding.DecodeString(body["client_info"].(string))
	if err != nil || !strings.Contains(string(ci), `"uid":"`+aliceOID+`"`) || !strings.Contains(string(ci), `"utid":"`+tenantA+`"`) {
		t.Errorf("client_info = %s (%v)", ci, err)
	}
	if body["scope"] != graph+"/.default openid profile offline_access" || body["refresh_token"] == nil || body["id_token"] == nil {
		t.Errorf("user token answer = %v", body)
	}
	status, body = redeem(code, redirect, verifier)
	wantError(t, status, body, http.StatusBadRequest, "invalid_grant", 70008)

	// Revoke one refresh token: it stops working.
	rt := f.firstRefreshToken(t)
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {publicApp}, "refresh_token": {rt}, "scope": {mde + "/.default offline_access"}}
	if status, body := f.postForm(t, path, refresh); status != http.StatusOK {
		t.Fatalf("refresh failed: %v", body)
	}
	f.e.Revoke(rt)
	status, body = f.postForm(t, path, refresh)
	wantError(t, status, body, http.StatusBadRequest, "invalid_grant", 700082)

	q := f.authorizeQuery(t, url.Values{
		"client_id": {publicApp}, "response_type": {"code"}, "redirect_uri": {redirect},
		"scope": {graph + "/.default"}, "state": {"st-2"}, "code_challenge": {pkce(verifier)}, "code_challenge_method": {"plain"},
	})
	if q.Get("error") != "invalid_request" || q.Get("state") != "st-2" || q.Get("code") != "" {
		t.Errorf("a non-S256 challenge got %v", q)
	}

	status, body = f.get(t, "/"+tenantA+"/oauth2/v2.0/authorize?"+url.Values{
		"client_id": {publicApp}, "response_type": {"code"}, "redirect_uri": {"https://evil.example/cb"},
		"scope": {graph + "/.default"}, "code_challenge": {pkce(verifier)}, "code_challenge_method": {"S256"}}.Encode())
	wantError(t, status, body, http.StatusBadRequest, "invalid_request", 50011)
}

// firstRefreshToken returns a refresh token the fixture issued.
func (f *fixture) firstRefreshToken(t *testing.T) string {
	t.Helper()
	f.e.mu.Lock()
	defer f.e.mu.Unlock()
	for rt := range f.e.refresh {
		return rt
	}
	t.Fatal("no refresh token issued")
	return ""
}

func TestDeviceCodeRFCGrantName(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.DeviceCodePolls = -1 })
	status, dc := f.postForm(t, "/"+tenantA+"/oauth2/v2.0/devicecode", url.Values{"client_id": {publicApp}, "scope": {mde + "/AdvancedQuery.Read"}})
	if status != http.StatusOK || dc["expires_in"].(float64) <= 0 {
		t.Fatalf("devicecode answered %d %v", status, dc)
	}
	path := "/" + tenantA + "/oauth2/v2.0/token"
	form := url.Values{"grant_type": {grantDeviceCodeURN}, "client_id": {publicApp}, "device_code": {dc["device_code"].(string)}}
	status, body := f.postForm(t, path, form)
	if status != http.StatusOK {
		t.Fatalf("first poll with no pending answers configured: %d %v", status, body)
	}
	if body["refresh_token"] != nil {
		t.Error("a refresh token was issued without offline_access")
	}
	f.wantUserClaims(t, body["access_token"].(string), aliceUPN, aliceOID, mde, "AdvancedQuery.Read")
	status, body = f.postForm(t, path, form)
	wantError(t, status, body, http.StatusBadRequest, "invalid_grant", 70000)

	status, body = f.postForm(t, "/"+tenantA+"/oauth2/v2.0/devicecode", url.Values{"client_id": {secretApp}, "scope": {graph + "/.default"}})
	wantError(t, status, body, http.StatusUnauthorized, "invalid_client", 7000218)
}

// rsaFromJWK rebuilds an RSA public key from its JWK form.
func rsaFromJWK(t *testing.T, k jwk) *rsa.PublicKey {
	t.Helper()
	n, err1 := base64.RawURLEncoding.DecodeString(k.N)
	e, err2 := base64.RawURLEncoding.DecodeString(k.E)
	if err1 != nil || err2 != nil || k.Kty != "RSA" {
		t.Fatalf("bad JWK %+v", k)
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
}

// get fetches path and decodes a JSON answer.
func (f *fixture) get(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	resp, err := f.client.Get(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}
