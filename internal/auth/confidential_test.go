package auth_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
	"software.sslmate.com/src/go-pkcs12"
)

func TestClientSecret(t *testing.T) {
	// MSAL_FORCE_REGION would redirect MSAL to westus2.<host>; the source
	// must cancel it.
	t.Setenv("MSAL_FORCE_REGION", "westus2")
	s := newSim(t, nil)
	c := s.config()
	c.ClientID, c.ClientSecret = secretApp, theSecret
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok, err := src.Token(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	claims := s.verify(t, tok)
	if claims.ClientID != secretApp || len(claims.Roles) != 1 || claims.Roles[0] != "ThreatHunting.Read.All" {
		t.Errorf("claims = %+v", claims)
	}
	again, err := src.Token(ctx, false)
	if err != nil || again != tok {
		t.Errorf("second call returned a different token (err %v)", err)
	}
	if n := s.count(entra.EndpointToken, "client_credentials"); n != 1 {
		t.Errorf("token requests = %d, want 1 (the second call comes from the cache)", n)
	}
	if n := s.count(entra.EndpointOpenIDConfig, ""); n != 1 {
		t.Errorf("discovery requests = %d, want 1", n)
	}
}

// Parallel callers on a cold source cause one token request.
func TestConcurrentCallersShareOneRequest(t *testing.T) {
	s := newSim(t, nil)
	c := s.config()
	c.ClientID, c.ClientSecret = secretApp, theSecret
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	tokens := make([]string, 20)
	errs := make([]error, 20)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tokens[i], errs[i] = src.Token(context.Background(), false)
		}()
	}
	wg.Wait()
	for i := range tokens {
		if errs[i] != nil || tokens[i] != tokens[0] {
			t.Fatalf("caller %d: err %v, same token %v", i, errs[i], tokens[i] == tokens[0])
		}
	}
	if n := s.count(entra.EndpointToken, ""); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestWrongSecret(t *testing.T) {
	s := newSim(t, nil)
	c := s.config()
	c.ClientID, c.ClientSecret = secretApp, "wrong-secret-value-123"
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(context.Background(), false)
	if err == nil {
		t.Fatal("wrong secret accepted")
	}
	msg := err.Error()
	for _, want := range []string{tenant, secretApp, "client_secret", "401", "invalid_client", "AADSTS7000215"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") || strings.Contains(msg, "Trace ID") {
		t.Errorf("error is not one clean line: %q", msg)
	}
	var leaks leakCheck
	leaks.add(c.ClientSecret, theSecret)
	leaks.check(t, "error", msg)
	ae := asAuthError(t, err)
	if ae.StatusCode != 401 || ae.Code != "invalid_client" || ae.LoginRequired || errors.Is(err, auth.ErrLoginRequired) {
		t.Errorf("auth.Error = %+v", ae)
	}
}

func TestUnknownTenantAndClient(t *testing.T) {
	s := newSim(t, nil)
	c := s.config()
	c.TenantID, c.ClientID, c.ClientSecret = "no-such-tenant", secretApp, theSecret
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(context.Background(), false)
	if err == nil || !strings.Contains(err.Error(), "AADSTS90002") || !strings.Contains(err.Error(), "no-such-tenant") {
		t.Errorf("unknown tenant: %v", err)
	}

	c = s.config()
	c.ClientID, c.ClientSecret = "no-such-app", theSecret
	src, err = auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(context.Background(), false)
	if err == nil || !strings.Contains(err.Error(), "AADSTS700016") || !strings.Contains(err.Error(), "no-such-app") {
		t.Errorf("unknown client: %v", err)
	}
}

func TestFreshForcesNewAppToken(t *testing.T) {
	s := newSim(t, nil)
	c := s.config()
	c.ClientID, c.ClientSecret = secretApp, theSecret
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
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
	t3, err := src.Token(ctx, false)
	if err != nil || t3 != t2 {
		t.Errorf("after a fresh token, the next call should reuse it (err %v)", err)
	}
	if n := s.count(entra.EndpointToken, "client_credentials"); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pemFile(t *testing.T, blocks ...*pem.Block) string {
	t.Helper()
	var buf bytes.Buffer
	for _, b := range blocks {
		if err := pem.Encode(&buf, b); err != nil {
			t.Fatal(err)
		}
	}
	return writeFile(t, "cert.pem", buf.Bytes())
}

func certToken(t *testing.T, s *sim, path, password string) (string, error) {
	t.Helper()
	c := s.config()
	c.ClientID, c.CertificatePath, c.CertificatePassword = certApp, path, password
	src, err := auth.NewTokenSource(c)
	if err != nil {
		return "", err
	}
	return src.Token(context.Background(), false)
}

func TestCertificatePEM(t *testing.T) {
	s := newSim(t, nil)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(testCert.key)
	if err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]*pem.Block{
		"pkcs8": {Type: "PRIVATE KEY", Bytes: pkcs8},
		"pkcs1": {Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testCert.key)},
	} {
		path := pemFile(t, &pem.Block{Type: "CERTIFICATE", Bytes: testCert.cert.Raw}, key)
		tok, err := certToken(t, s, path, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := s.verify(t, tok).ClientID; got != certApp {
			t.Errorf("%s: token for %q", name, got)
		}
	}
}

func TestCertificatePFX(t *testing.T) {
	s := newSim(t, nil)
	const password = "pfx-pa55word!"
	pfx, err := pkcs12.Modern.Encode(testCert.key, testCert.cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "cert.pfx", pfx)
	tok, err := certToken(t, s, path, password)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.verify(t, tok).ClientID; got != certApp {
		t.Errorf("token for %q", got)
	}

	_, err = certToken(t, s, path, "not-the-password")
	if err == nil || !strings.Contains(err.Error(), "wrong password") || !strings.Contains(err.Error(), "certificate_password") {
		t.Errorf("wrong password: %v", err)
	}
	var leaks leakCheck
	leaks.add("not-the-password", password)
	leaks.check(t, "wrong password error", err.Error())

	_, err = certToken(t, s, path, "")
	if err == nil || !strings.Contains(err.Error(), "password protected") {
		t.Errorf("missing password: %v", err)
	}
}

func TestCertificateProblems(t *testing.T) {
	s := newSim(t, nil)
	certBlock := &pem.Block{Type: "CERTIFICATE", Bytes: testCert.cert.Raw}

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ecCert := selfSign(ecKey, &ecKey.PublicKey)

	other := newRSACert() // valid, but not registered on the app
	otherKey, _ := x509.MarshalPKCS8PrivateKey(other.key)

	cases := []struct {
		name string
		path string
		want []string
	}{
		{"encrypted pkcs8", pemFile(t, certBlock, &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("opaque")}),
			[]string{"ENCRYPTED PRIVATE KEY", "openssl pkcs12 -export", certApp}},
		{"no key", pemFile(t, certBlock), []string{"no private key"}},
		{"ecdsa", pemFile(t, &pem.Block{Type: "CERTIFICATE", Bytes: ecCert.Raw}, &pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}),
			[]string{"RSA", "ecdsa"}},
		{"garbage", writeFile(t, "x.pfx", []byte("definitely not a certificate")), []string{"neither PEM nor"}},
		{"missing", filepath.Join(t.TempDir(), "absent.pem"), []string{"certificate_path", "no such file"}},
		{"unregistered", pemFile(t, &pem.Block{Type: "CERTIFICATE", Bytes: other.cert.Raw}, &pem.Block{Type: "PRIVATE KEY", Bytes: otherKey}),
			[]string{"401", "invalid_client", "AADSTS", tenant, certApp}},
	}
	for _, c := range cases {
		_, err := certToken(t, s, c.path, "")
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

func TestWorkloadIdentityRotatingFile(t *testing.T) {
	s := newSim(t, nil)
	file := writeFile(t, "token", []byte(fedToken1+"\n"))
	c := s.config()
	c.ClientID, c.FederatedTokenFile = fedApp, file
	src, err := auth.NewTokenSource(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tok, err := src.Token(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.verify(t, tok).ClientID; got != fedApp {
		t.Errorf("token for %q", got)
	}

	// The file is read again for every request to Entra: an unregistered
	// assertion fails, the rotated one succeeds.
	if err := os.WriteFile(file, []byte("not-a-registered-assertion"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cached, err := src.Token(ctx, false); err != nil || cached != tok {
		t.Errorf("cached call read the file or failed: %v", err)
	}
	_, err = src.Token(ctx, true)
	if err == nil || !strings.Contains(err.Error(), "AADSTS700211") {
		t.Errorf("unregistered assertion: %v", err)
	}
	var leaks leakCheck
	leaks.add("not-a-registered-assertion", fedToken1, fedToken2)
	if err != nil {
		leaks.check(t, "error", err.Error())
	}
	if err := os.WriteFile(file, []byte(fedToken2), 0o600); err != nil {
		t.Fatal(err)
	}
	rotated, err := src.Token(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if rotated == tok {
		t.Error("rotation returned the old token")
	}
	s.verify(t, rotated)

	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(ctx, true)
	if err == nil || !strings.Contains(err.Error(), "federated_token_file") {
		t.Errorf("missing token file: %v", err)
	}
}

func TestManagedIdentity(t *testing.T) {
	s := newSim(t, nil)
	t.Setenv("IDENTITY_ENDPOINT", s.srv.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", s.entra.IdentityHeader())
	ctx := context.Background()

	// MSAL caches managed identity tokens per process, keyed by identity
	// and resource, so every case (and every -count run) uses its own resource.
	run := time.Now().UnixNano()
	cases := []struct {
		name, clientID, resource, want string
	}{
		{"system-assigned", "", fmt.Sprintf("https://mi-system-%d.test", run), systemMI},
		{"user-assigned", userMI, fmt.Sprintf("https://mi-user-%d.test", run), userMI},
	}
	for _, tc := range cases {
		c := auth.Config{UseManagedIdentity: true, ClientID: tc.clientID, Scope: tc.resource + "/.default", HTTPClient: s.client}
		src, err := auth.NewTokenSource(c)
		if err != nil {
			t.Fatal(err)
		}
		before := s.count(entra.EndpointAppServiceMI, "")
		tok, err := src.Token(ctx, false)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		claims, err := s.entra.Verify(tok)
		if err != nil || claims.ClientID != tc.want || claims.Audience != tc.resource {
			t.Fatalf("%s: claims %+v, %v", tc.name, claims, err)
		}
		if again, _ := src.Token(ctx, false); again != tok {
			t.Errorf("%s: second call was not served from the cache", tc.name)
		}
		fresh, err := src.Token(ctx, true)
		if err != nil || fresh == tok {
			t.Errorf("%s: fresh=true gave the cached token (err %v)", tc.name, err)
		}
		if n := s.count(entra.EndpointAppServiceMI, "") - before; n != 2 {
			t.Errorf("%s: identity endpoint requests = %d, want 2", tc.name, n)
		}
	}
}

func TestManagedIdentityRejected(t *testing.T) {
	s := newSim(t, nil)
	t.Setenv("IDENTITY_ENDPOINT", s.srv.URL+"/msi/token")
	t.Setenv("IDENTITY_HEADER", "wrong-identity-header-value")
	src, err := auth.NewTokenSource(auth.Config{UseManagedIdentity: true, Scope: fmt.Sprintf("https://mi-reject-%d.test/.default", time.Now().UnixNano()), HTTPClient: s.client})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Token(context.Background(), false)
	if err == nil {
		t.Fatal("wrong identity header accepted")
	}
	for _, want := range []string{"managed_identity", "401", "X-IDENTITY-HEADER"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var leaks leakCheck
	leaks.add("wrong-identity-header-value", s.entra.IdentityHeader())
	leaks.check(t, "error", err.Error())
}
