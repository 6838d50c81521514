package e2e

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigHomePath checks that a certificate_path written with ~ and
// $VAR (HCL reads ${VAR} as its own interpolation) is
// read from the plugin's home directory, and that a missing one is
// quoted as written and as expanded.
func TestConfigHomePath(t *testing.T) {
	cert, key, app := certApp(t)
	s := startAuthSim(t, 0, withDemoApps(app))
	l := newLeaks(s)
	home := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	if err := os.MkdirAll(filepath.Join(home, "certs"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "certs", "client.pem"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	p := startAuthPlugin(t, s, l, []string{"HOME=" + home, "CERT_DIR=certs"},
		Connection{Name: "tilde", Config: simBlock(s, s.Tenant(), "client_id", certClientID, "certificate_path", "~/$CERT_DIR/client.pem")},
		Connection{Name: "missing", Config: simBlock(s, s.Tenant(), "client_id", certClientID, "certificate_path", "~/certs/missing.pem")},
	)
	mustScanDevices(t, p, l, "tilde", s.Tenant())
	checkHuntingCallers(t, s, 0, certClientID, s.Tenant())

	_, err = authScan(t, p, l, deviceScan("missing"))
	want := `certificate_path "~/certs/missing.pem" (expanded to "` + filepath.Join(home, "certs", "missing.pem") + `") cannot be read`
	if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), `\"`, `"`), want) {
		t.Errorf("error %v, want it to contain %s", err, want)
	}
}
