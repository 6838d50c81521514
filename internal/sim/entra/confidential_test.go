package entra

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

func (f *fixture) confidential(t *testing.T, clientID string, cred confidential.Credential, opts ...confidential.Option) confidential.Client {
	t.Helper()
	opts = append([]confidential.Option{
		confidential.WithInstanceDiscovery(false),
		confidential.WithAzureRegion("DisableMsalForceRegion"),
		confidential.WithHTTPClient(f.client),
	}, opts...)
	c, err := confidential.New(f.authority, clientID, cred, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantAppClaims verifies an app-only token and checks its claims.
func (f *fixture) wantAppClaims(t *testing.T, token, clientID, audience string, roles ...string) *Claims {
	t.Helper()
	c, err := f.e.Verify(token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.ClientID != clientID || c.Audience != audience || c.Tenant != tenantA {
		t.Errorf("claims client=%s aud=%s tid=%s, want %s %s %s", c.ClientID, c.Audience, c.Tenant, clientID, audience, tenantA)
	}
	if !slices.Equal(c.Roles, roles) {
		t.Errorf("roles = %v, want %v", c.Roles, roles)
	}
	if len(c.Scopes) != 0 || c.UPN != "" {
		t.Errorf("app token carries scp %v / upn %q", c.Scopes, c.UPN)
	}
	return c
}

func TestClientSecret(t *testing.T) {
	f := newFixture(t, nil)
	cred, err := confidential.NewCredFromSecret(goodSecret)
	if err != nil {
		t.Fatal(err)
	}
	c := f.confidential(t, secretApp, cred)
	ctx := context.Background()

	first, err := c.AcquireTokenByCredential(ctx, []string{graph + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	// The bare role applies to every resource; the MDE-qualified one must not leak into a Graph token.
	f.wantAppClaims(t, first.AccessToken, secretApp, graph, "ThreatHunting.Read.All")
	second, err := c.AcquireTokenByCredential(ctx, []string{graph + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	if second.AccessToken != first.AccessToken {
		t.Error("the second call did not come from MSAL's cache: the token was not cacheable")
	}
	mdeTok, err := c.AcquireTokenByCredential(ctx, []string{mde + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, mdeTok.AccessToken, secretApp, mde, "ThreatHunting.Read.All", "AdvancedQuery.Read.All")

	if n := f.count(func(c Call) bool { return c.Endpoint == EndpointOpenIDConfig }); n != 1 {
		t.Errorf("openid-configuration fetched %d times, want 1", n)
	}
	if n := f.count(func(c Call) bool {
		return c.Endpoint == EndpointToken && c.GrantType == "client_credentials" && c.Status == 200 && c.ClientID == secretApp && c.Tenant == tenantA
	}); n != 2 {
		t.Errorf("%d successful client_credentials calls, want 2", n)
	}
	f.noInstanceDiscovery(t)
}

func TestWrongSecret(t *testing.T) {
	f := newFixture(t, nil)
	const wrong = "not-the-secret-Qx7"
	cred, _ := confidential.NewCredFromSecret(wrong)
	_, err := f.confidential(t, secretApp, cred).AcquireTokenByCredential(context.Background(), []string{graph + "/.default"})
	if err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	status, body := msalError(t, err)
	if status != http.StatusUnauthorized || body.Error != "invalid_client" || !slices.Equal(body.ErrorCodes, []int{7000215}) {
		t.Errorf("got %d %s %v, want 401 invalid_client [7000215]", status, body.Error, body.ErrorCodes)
	}
	if strings.Contains(err.Error(), wrong) || strings.Contains(fmt.Sprintf("%+v", f.e.Calls()), wrong) {
		t.Error("the secret was echoed in the answer or the call log")
	}
	if n := f.count(func(c Call) bool { return c.Status == 401 && c.ErrorCode == 7000215 }); n != 1 {
		t.Errorf("call log has %d failed secret calls, want 1", n)
	}
	f.noInstanceDiscovery(t)
}

func TestSecretOfAppInAnotherTenant(t *testing.T) {
	f := newFixture(t, nil)
	cred, _ := confidential.NewCredFromSecret(goodSecret)
	_, err := f.confidential(t, otherApp, cred).AcquireTokenByCredential(context.Background(), []string{graph + "/.default"})
	status, body := msalError(t, err)
	if status != http.StatusBadRequest || body.Error != "unauthorized_client" || body.ErrorCodes[0] != 700016 {
		t.Errorf("got %d %s %v, want 400 unauthorized_client [700016]", status, body.Error, body.ErrorCodes)
	}
}

func TestCertificateFromPEM(t *testing.T) {
	f := newFixture(t, nil)
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.cert.Raw})
	pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(f.key)})...)
	certs, key, err := confidential.CertFromPEM(pemData, "")
	if err != nil {
		t.Fatal(err)
	}
	cred, err := confidential.NewCredFromCert(certs, key)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.confidential(t, certApp, cred).AcquireTokenByCredential(context.Background(), []string{graph + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, certApp, graph, "ThreatHunting.Read.All")
	// The app's role is qualified with Graph, so an MDE token carries none.
	c := f.confidential(t, certApp, cred, confidential.WithX5C())
	res, err = c.AcquireTokenByCredential(context.Background(), []string{mde + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, certApp, mde)
	f.noInstanceDiscovery(t)
}

func TestCertificateFromPFX(t *testing.T) {
	f := newFixture(t, nil)
	pfx, err := pkcs12.Modern.Encode(f.key, f.cert, nil, "pfx-password")
	if err != nil {
		t.Fatal(err)
	}
	pk, leaf, chain, err := pkcs12.DecodeChain(pfx, "pfx-password")
	if err != nil {
		t.Fatal(err)
	}
	cred, err := confidential.NewCredFromCert(append([]*x509.Certificate{leaf}, chain...), pk)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.confidential(t, certApp, cred).AcquireTokenByCredential(context.Background(), []string{graph + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, certApp, graph, "ThreatHunting.Read.All")
}

func TestUnregisteredCertificate(t *testing.T) {
	f := newFixture(t, nil)
	key, cert := newCert(t, "stranger")
	cred, err := confidential.NewCredFromCert([]*x509.Certificate{cert}, key)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.confidential(t, certApp, cred).AcquireTokenByCredential(context.Background(), []string{graph + "/.default"})
	status, body := msalError(t, err)
	if status != http.StatusUnauthorized || body.Error != "invalid_client" || body.ErrorCodes[0] != 700027 {
		t.Errorf("got %d %s %v, want 401 invalid_client [700027]", status, body.Error, body.ErrorCodes)
	}
}

func TestFederatedAssertion(t *testing.T) {
	f := newFixture(t, nil)
	var calls atomic.Int32
	token := fedToken
	cred := confidential.NewCredFromAssertionCallback(func(_ context.Context, o confidential.AssertionRequestOptions) (string, error) {
		calls.Add(1)
		if o.ClientID != fedApp || o.TokenEndpoint != f.authority+"/oauth2/v2.0/token" {
			t.Errorf("callback got client %s endpoint %s", o.ClientID, o.TokenEndpoint)
		}
		return token, nil
	})
	c := f.confidential(t, fedApp, cred)
	ctx := context.Background()
	res, err := c.AcquireTokenByCredential(ctx, []string{graph + "/.default"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantAppClaims(t, res.AccessToken, fedApp, graph, "ThreatHunting.Read.All")
	if _, err := c.AcquireTokenByCredential(ctx, []string{graph + "/.default"}); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("assertion callback ran %d times, want 1 (second call cached)", calls.Load())
	}
	token = "an-unregistered-federated-token"
	_, err = c.AcquireTokenByCredential(ctx, []string{mde + "/.default"})
	status, body := msalError(t, err)
	if status != http.StatusUnauthorized || body.Error != "invalid_client" || body.ErrorCodes[0] != 700211 {
		t.Errorf("got %d %s %v, want 401 invalid_client [700211]", status, body.Error, body.ErrorCodes)
	}
	if strings.Contains(err.Error(), token) {
		t.Error("the assertion was echoed in the error")
	}
}

// A public client cannot use client credentials: it has no credential.
func TestClientCredentialsNeedCredential(t *testing.T) {
	f := newFixture(t, nil)
	status, body := f.postForm(t, "/"+tenantA+"/oauth2/v2.0/token", map[string][]string{
		"grant_type": {"client_credentials"}, "client_id": {publicApp}, "scope": {graph + "/.default"},
	})
	wantError(t, status, body, http.StatusUnauthorized, "invalid_client", 7000218)
}
