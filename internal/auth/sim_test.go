package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

const (
	tenant      = "8d0c0a7e-1b2c-4d5e-9f00-00000000a11c"
	secretApp   = "app-secret-0001"
	theSecret   = "correct-horse-battery-staple~42"
	certApp     = "app-cert-0002"
	fedApp      = "app-federated-0003"
	publicApp   = "app-public-0004"
	systemMI    = "mi-system-0005"
	userMI      = "mi-user-0006"
	alice       = "alice@contoso.example"
	bob         = "bob@contoso.example"
	fedToken1   = "eyJmZWQiOiIxIn0.federated-one"
	fedToken2   = "eyJmZWQiOiIyIn0.federated-two"
	graphScope  = "https://graph.microsoft.com/.default"
	graphAud    = "https://graph.microsoft.com"
	loginCmdTxt = "/opt/plugins/defender.plugin login --connection defender_test"
)

// testCert is a self-signed RSA certificate registered on certApp.
var testCert = newRSACert()

type rsaCert struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

func newRSACert() rsaCert {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return rsaCert{key: key, cert: selfSign(key, &key.PublicKey)}
}

func selfSign(key any, pub any) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "defender-plugin-test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return cert
}

// sim is a simulated Entra ID on an httptest TLS server.
type sim struct {
	entra  *entra.Entra
	srv    *httptest.Server
	client *http.Client
	// escaped counts requests to any host but the simulator.
	mu      sync.Mutex
	escaped []string
}

func newSim(t *testing.T, tweak func(*entra.Config)) *sim {
	t.Helper()
	cfg := entra.Config{
		Tenants: []string{tenant},
		Apps: []entra.App{
			{ClientID: secretApp, Tenant: tenant, Secrets: []string{theSecret}, Roles: []string{"ThreatHunting.Read.All"}},
			{ClientID: certApp, Tenant: tenant, Certificates: []*x509.Certificate{testCert.cert}, Roles: []string{"ThreatHunting.Read.All"}},
			{ClientID: fedApp, Tenant: tenant, FederatedTokens: []string{fedToken1, fedToken2}, Roles: []string{"ThreatHunting.Read.All"}},
			{ClientID: publicApp, Tenant: tenant, PublicClient: true, DelegatedScopes: []string{"ThreatHunting.Read.All"}},
			{ClientID: systemMI, Tenant: tenant, ManagedIdentity: true, Roles: []string{"ThreatHunting.Read.All"}},
			{ClientID: userMI, Tenant: tenant, ManagedIdentity: true, Roles: []string{"ThreatHunting.Read.All"}},
		},
		Users: []entra.User{
			{UPN: alice, ObjectID: "00000000-0000-0000-0000-0000000a11ce", Tenant: tenant},
			{UPN: bob, ObjectID: "00000000-0000-0000-0000-000000000b0b", Tenant: tenant},
		},
		DeviceCodePolls: -1,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	e, err := entra.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &sim{entra: e, srv: httptest.NewTLSServer(e.Handler())}
	t.Cleanup(s.srv.Close)
	base := s.srv.Client().Transport
	s.client = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Hostname() != "127.0.0.1" {
			s.mu.Lock()
			s.escaped = append(s.escaped, r.URL.String())
			s.mu.Unlock()
			return nil, fmt.Errorf("test transport refuses %s", r.URL.Host)
		}
		return base.RoundTrip(r)
	})}
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if len(s.escaped) > 0 {
			t.Errorf("requests left the simulator: %v", s.escaped)
		}
		for _, c := range e.Calls() {
			if c.Endpoint == entra.EndpointInstanceDiscovery {
				t.Errorf("instance discovery was called: %+v", c)
			}
		}
	})
	return s
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// config returns the settings shared by every simulator test.
func (s *sim) config() auth.Config {
	return auth.Config{
		TenantID:      tenant,
		AuthorityHost: s.srv.URL,
		Scope:         graphScope,
		HTTPClient:    s.client,
		LoginCommand:  loginCmdTxt,
	}
}

// count returns how many recorded calls match endpoint and, when not
// empty, grant type.
func (s *sim) count(endpoint, grant string) int {
	n := 0
	for _, c := range s.entra.Calls() {
		if c.Endpoint == endpoint && (grant == "" || c.GrantType == grant) {
			n++
		}
	}
	return n
}

// verify checks tok with the simulator and returns its claims.
func (s *sim) verify(t *testing.T, tok string) *entra.Claims {
	t.Helper()
	c, err := s.entra.Verify(tok)
	if err != nil {
		t.Fatalf("token rejected by the simulator: %v", err)
	}
	if c.Audience != graphAud || c.Tenant != tenant {
		t.Fatalf("token claims = %+v", c)
	}
	return c
}

// leakCheck collects strings that must never show up in output or errors.
type leakCheck struct {
	mu      sync.Mutex
	secrets []string
}

func (l *leakCheck) add(secrets ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range secrets {
		if s != "" {
			l.secrets = append(l.secrets, s)
		}
	}
}

// check fails if text contains a collected secret.
func (l *leakCheck) check(t *testing.T, what, text string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains a secret or token (%d chars): %q", what, len(s), text)
		}
	}
}

// refreshTokens returns the refresh tokens stored in an MSAL cache file.
func refreshTokens(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		RefreshToken map[string]struct {
			Secret string `json:"secret"`
		}
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rt := range c.RefreshToken {
		out = append(out, rt.Secret)
	}
	return out
}

// asAuthError unwraps an *auth.Error or fails.
func asAuthError(t *testing.T, err error) *auth.Error {
	t.Helper()
	var ae *auth.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an *auth.Error", err, err)
	}
	return ae
}
