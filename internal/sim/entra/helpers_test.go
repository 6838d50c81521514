package entra

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
)

const (
	tenantA    = "6a1f0e2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	tenantB    = "9b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e"
	secretApp  = "11111111-aaaa-4bbb-8ccc-000000000001"
	certApp    = "11111111-aaaa-4bbb-8ccc-000000000002"
	fedApp     = "11111111-aaaa-4bbb-8ccc-000000000003"
	publicApp  = "11111111-aaaa-4bbb-8ccc-000000000004"
	systemMI   = "11111111-aaaa-4bbb-8ccc-000000000005"
	userMI     = "11111111-aaaa-4bbb-8ccc-000000000006"
	otherApp   = "11111111-aaaa-4bbb-8ccc-000000000007"
	goodSecret = "s3cr3t~Value.ForTheSimulator"
	fedToken   = "eyJhbGciOiJSUzI1NiJ9.federated-token-one.sig"

	graph = "https://graph.microsoft.com"
	mde   = "https://api.securitycenter.microsoft.com"

	aliceUPN = "alice@contoso.example"
	aliceOID = "aaaaaaaa-0000-4000-8000-00000000a11c"
	bobUPN   = "bob@contoso.example"
	bobOID   = "bbbbbbbb-0000-4000-8000-000000000b0b"
)

// fixture is a simulated Entra ID behind a TLS test server.
type fixture struct {
	e         *Entra
	srv       *httptest.Server
	client    *http.Client // trusts the server and refuses every non-loopback host
	authority string
	cert      *x509.Certificate
	key       *rsa.PrivateKey
}

// newFixture starts a server; mutate may adjust the configuration.
func newFixture(t *testing.T, mutate func(*Config)) *fixture {
	t.Helper()
	key, cert := newCert(t, "sim-client-cert")
	cfg := Config{
		Tenants: []string{tenantA, tenantB},
		Apps: []App{
			{ClientID: secretApp, Tenant: tenantA, Secrets: []string{goodSecret},
				Roles: []string{"ThreatHunting.Read.All", mde + "/AdvancedQuery.Read.All"}},
			{ClientID: certApp, Tenant: tenantA, Certificates: []*x509.Certificate{cert},
				Roles: []string{graph + "/ThreatHunting.Read.All"}},
			{ClientID: fedApp, Tenant: tenantA, FederatedTokens: []string{fedToken},
				Roles: []string{"ThreatHunting.Read.All"}},
			{ClientID: publicApp, Tenant: tenantA, PublicClient: true,
				DelegatedScopes: []string{graph + "/ThreatHunting.Read.All", mde + "/AdvancedQuery.Read"}},
			{ClientID: systemMI, Tenant: tenantA, ManagedIdentity: true, Roles: []string{"ThreatHunting.Read.All"}},
			{ClientID: userMI, Tenant: tenantA, ManagedIdentity: true, ResourceID: "/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/hunter",
				Roles: []string{mde + "/AdvancedQuery.Read.All"}},
			{ClientID: otherApp, Tenant: tenantB, Secrets: []string{goodSecret}},
		},
		Users: []User{
			{UPN: aliceUPN, ObjectID: aliceOID, Tenant: tenantA},
			{UPN: bobUPN, ObjectID: bobOID, Tenant: tenantA},
		},
		IdentityHeader: "identity-header-for-tests",
	}
	if mutate != nil {
		mutate(&cfg)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(e.Handler())
	t.Cleanup(srv.Close)
	base := srv.Client().Transport.(*http.Transport).Clone()
	guard := &loopbackOnly{t: t, next: base, redirectTo: srv.URL}
	return &fixture{
		e: e, srv: srv,
		client:    &http.Client{Transport: guard},
		authority: srv.URL + "/" + tenantA,
		cert:      cert, key: key,
	}
}

// loopbackOnly fails the test for any request that would leave 127.0.0.1.
// Requests for the IMDS address are rewritten to the test server before
// anything is sent, so they never reach the network.
type loopbackOnly struct {
	t          *testing.T
	next       http.RoundTripper
	redirectTo string
}

func (l *loopbackOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Hostname() == "169.254.169.254" {
		to, _ := url.Parse(l.redirectTo)
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = to.Scheme, to.Host, ""
	}
	switch r.URL.Hostname() {
	case "127.0.0.1", "localhost":
		return l.next.RoundTrip(r)
	}
	l.t.Errorf("request to non-loopback host %s blocked", r.URL.Host)
	return nil, fmt.Errorf("blocked request to %s", r.URL.Host)
}

// newCert makes an RSA key and a self-signed certificate.
func newCert(t *testing.T, cn string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// count returns how many logged calls satisfy keep.
func (f *fixture) count(keep func(Call) bool) int {
	n := 0
	for _, c := range f.e.Calls() {
		if keep(c) {
			n++
		}
	}
	return n
}

// noInstanceDiscovery fails the test if a client asked for instance discovery.
func (f *fixture) noInstanceDiscovery(t *testing.T) {
	t.Helper()
	if n := f.count(func(c Call) bool { return c.Endpoint == EndpointInstanceDiscovery }); n != 0 {
		t.Errorf("instance discovery was requested %d times", n)
	}
}

// postForm posts form to path on the fixture and decodes the JSON answer.
func (f *fixture) postForm(t *testing.T, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := f.client.PostForm(f.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeBody(t, resp.Body)
}

func decodeBody(t *testing.T, r io.Reader) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		t.Fatalf("decoding answer: %v", err)
	}
	return m
}

// msalStatus returns the HTTP status and raw body of an MSAL CallErr.
func msalStatus(t *testing.T, err error) (int, string) {
	t.Helper()
	var ce msalerrors.CallErr
	if !errors.As(err, &ce) {
		t.Fatalf("want a CallErr, got %T: %v", err, err)
	}
	b, _ := io.ReadAll(ce.Resp.Body)
	return ce.Resp.StatusCode, string(b)
}

// msalError extracts the status and Entra error body from an MSAL error.
func msalError(t *testing.T, err error) (int, errorBody) {
	t.Helper()
	var ce msalerrors.CallErr
	if !errors.As(err, &ce) {
		t.Fatalf("want a CallErr, got %T: %v", err, err)
	}
	var b errorBody
	if err := json.NewDecoder(ce.Resp.Body).Decode(&b); err != nil {
		t.Fatalf("decoding the error body: %v", err)
	}
	return ce.Resp.StatusCode, b
}

// wantError checks an Entra error body.
func wantError(t *testing.T, status int, body map[string]any, wantStatus int, wantCode string, wantAADSTS int) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("status = %d, want %d (%v)", status, wantStatus, body)
	}
	if body["error"] != wantCode {
		t.Errorf("error = %v, want %s", body["error"], wantCode)
	}
	codes, _ := body["error_codes"].([]any)
	if len(codes) != 1 || codes[0] != float64(wantAADSTS) {
		t.Errorf("error_codes = %v, want [%d]", body["error_codes"], wantAADSTS)
	}
	desc, _ := body["error_description"].(string)
	if !strings.HasPrefix(desc, fmt.Sprintf("AADSTS%d: ", wantAADSTS)) {
		t.Errorf("error_description = %q", desc)
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
		if s, _ := body[k].(string); s == "" {
			t.Errorf("%s missing from the error answer", k)
		}
	}
}

// fakeClock is an adjustable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
