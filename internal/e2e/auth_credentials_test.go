package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// Client ids of the apps the credential scenarios register.
const (
	certClientID    = "5b1e9c40-2d7a-4e83-9f16-c0a4b7d2e391"
	fedClientID     = "8f03d6a2-4c5b-4e1f-b7a9-2e6d1c0f5b48"
	userMIClientID  = "c4a81f37-9e2d-4b60-8a15-7d3f0e9b2c61"
	otherTenantID   = "2f6b8d14-7a3c-4e95-b1d0-9c4e5a7f3b26"
	otherClientID   = "93d5e7a1-0b4c-4f28-a6e3-1c8b2d9f4e70"
	demoSecretApp   = sim.DemoClientID
	demoMIClientID  = sim.DemoManagedIdentityID
	clientCredGrant = "client_credentials"
)

func TestAuthClientSecret(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	p := startAuthPlugin(t, s, l, nil, Connection{Name: "defender",
		Config: simBlock(s, s.Tenant(), "client_id", s.ClientID(), "client_secret", s.ClientSecret())})

	mustScanDevices(t, p, l, "defender", s.Tenant())
	mustScanDevices(t, p, l, "defender", s.Tenant())
	if n := checkHuntingCallers(t, s, 0, demoSecretApp, s.Tenant()); n != 2 {
		t.Errorf("hunting calls = %d, want 2", n)
	}
	// The second query reuses the cached token.
	tokens := entraCalls(s, 0, entra.EndpointToken, clientCredGrant)
	if len(tokens) != 1 || tokens[0].ClientID != demoSecretApp || tokens[0].Tenant != s.Tenant() || tokens[0].Status != 200 {
		t.Errorf("token requests = %+v, want one successful request by the demo app", tokens)
	}
}

// certApp makes a self-signed certificate and its key, and an app in the
// demo tenant that accepts assertions signed with them.
func certApp(t *testing.T) (*x509.Certificate, *rsa.PrivateKey, entra.App) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "defender-e2e"},
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
	return cert, key, entra.App{ClientID: certClientID, Tenant: sim.DemoTenant, Certificates: []*x509.Certificate{cert}, Roles: huntingRole}
}

// withDemoApps keeps the demo apps and adds extra ones.
func withDemoApps(extra ...entra.App) func(*sim.Config) {
	return func(c *sim.Config) {
		c.Apps = append([]entra.App{
			{ClientID: demoSecretApp, Tenant: sim.DemoTenant, Secrets: []string{randomSecret()}, Roles: huntingRole},
			{ClientID: demoMIClientID, Tenant: sim.DemoTenant, ManagedIdentity: true, Roles: huntingRole},
		}, extra...)
	}
}

// randomSecret is a fresh 32-character secret.
func randomSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestAuthCertificatePEM(t *testing.T) {
	cert, key, app := certApp(t)
	s := startAuthSim(t, 0, withDemoApps(app))
	l := newLeaks(s)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "client.pem")
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	l.add(base64.StdEncoding.EncodeToString(keyDER)[64:128])

	p := startAuthPlugin(t, s, l, nil, Connection{Name: "defender",
		Config: simBlock(s, s.Tenant(), "client_id", certClientID, "certificate_path", path)})
	mustScanDevices(t, p, l, "defender", s.Tenant())
	checkHuntingCallers(t, s, 0, certClientID, s.Tenant())
	if tokens := entraCalls(s, 0, entra.EndpointToken, clientCredGrant); len(tokens) != 1 || tokens[0].ClientID != certClientID {
		t.Errorf("token requests = %+v, want one by the certificate app", tokens)
	}
}

// writePFX encodes cert and key as a password-protected PFX file.
func writePFX(t *testing.T, cert *x509.Certificate, key *rsa.PrivateKey, password string) string {
	t.Helper()
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "client.pfx")
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAuthCertificatePFX(t *testing.T) {
	cert, key, app := certApp(t)
	s := startAuthSim(t, 0, withDemoApps(app))
	l := newLeaks(s)
	password, wrong := randomSecret(), randomSecret()
	l.add(password, wrong)
	path := writePFX(t, cert, key, password)

	p := startAuthPlugin(t, s, l, nil,
		Connection{Name: "defender", Config: simBlock(s, s.Tenant(), "client_id", certClientID,
			"certificate_path", path, "certificate_password", password)},
		Connection{Name: "defender_wrong", Config: simBlock(s, s.Tenant(), "client_id", certClientID,
			"certificate_path", path, "certificate_password", wrong)},
	)
	mustScanDevices(t, p, l, "defender", s.Tenant())
	checkHuntingCallers(t, s, 0, certClientID, s.Tenant())

	before, beforeEntra := len(s.Calls()), len(s.Entra().Calls())
	_, err := authScan(t, p, l, deviceScan("defender_wrong"))
	if err == nil {
		t.Fatal("a wrong PFX password was accepted")
	}
	for _, want := range []string{`"defender_wrong"`, path, "certificate_password", "wrong password"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if len(s.Calls()) != before || len(s.Entra().Calls()) != beforeEntra {
		t.Error("a connection whose certificate cannot be opened still called the simulator")
	}
}

func TestAuthManagedIdentity(t *testing.T) {
	userMI := entra.App{ClientID: userMIClientID, Tenant: sim.DemoTenant, ManagedIdentity: true, Roles: huntingRole}
	for _, tc := range []struct {
		name, client string
		args         []any
	}{
		{"system-assigned", demoMIClientID, []any{"use_managed_identity", true}},
		{"user-assigned", userMIClientID, []any{"use_managed_identity", true, "client_id", userMIClientID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startAuthSim(t, 0, withDemoApps(userMI))
			l := newLeaks(s)
			env := []string{"IDENTITY_ENDPOINT=" + s.IdentityEndpoint(), "IDENTITY_HEADER=" + s.IdentityHeader()}
			p := startAuthPlugin(t, s, l, env, Connection{Name: "defender", Config: simBlock(s, s.Tenant(), tc.args...)})
			mustScanDevices(t, p, l, "defender", s.Tenant())
			checkHuntingCallers(t, s, 0, tc.client, s.Tenant())
			mi := entraCalls(s, 0, entra.EndpointAppServiceMI, "")
			if len(mi) != 1 || mi[0].ClientID != tc.client || mi[0].Status != 200 {
				t.Errorf("identity endpoint calls = %+v, want one for %s", mi, tc.client)
			}
			if n := len(entraCalls(s, 0, entra.EndpointToken, "")); n != 0 {
				t.Errorf("%d calls to the Entra token endpoint; a managed identity must not use it", n)
			}
		})
	}
}

func TestAuthWorkloadIdentity(t *testing.T) {
	assertion := "fed." + randomSecret()
	app := entra.App{ClientID: fedClientID, Tenant: sim.DemoTenant, FederatedTokens: []string{assertion}, Roles: huntingRole}
	s := startAuthSim(t, 0, withDemoApps(app))
	l := newLeaks(s)
	l.add(assertion)
	path := filepath.Join(t.TempDir(), "azure-identity-token")
	if err := os.WriteFile(path, []byte(assertion+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startAuthPlugin(t, s, l, nil, Connection{Name: "defender",
		Config: simBlock(s, s.Tenant(), "client_id", fedClientID, "federated_token_file", path)})
	mustScanDevices(t, p, l, "defender", s.Tenant())
	checkHuntingCallers(t, s, 0, fedClientID, s.Tenant())
	if tokens := entraCalls(s, 0, entra.EndpointToken, clientCredGrant); len(tokens) != 1 || tokens[0].ClientID != fedClientID || tokens[0].Status != 200 {
		t.Errorf("token requests = %+v, want one by the federated app", tokens)
	}
}
