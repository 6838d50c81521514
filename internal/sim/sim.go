// Package sim is the simulated Microsoft Defender XDR tenant: one HTTPS
// server on the loopback interface that serves Entra ID token endpoints,
// the Microsoft Graph runHuntingQuery API, the legacy MDE advanced
// queries API and the Graph security incidents, alerts and secure score
// collections over synthetic data, with Defender's quotas and switchable
// faults. It is both the test double and the demo tenant.
package sim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// Config configures a simulator. The zero value starts the demo tenant on a
// free loopback port.
type Config struct {
	// Addr is the listen address (default "127.0.0.1:0"). It must be a
	// loopback address.
	Addr string
	// Dir is where ca.pem is written; it is created if missing (default: a
	// new temporary directory, removed by Close).
	Dir string
	// Data are the synthetic data options; a zero Data.Now takes Now().
	Data dataset.Options
	// Now is the clock for now()/ago(), Timespan defaults, token expiry and
	// quotas (default time.Now).
	Now func() time.Time
	// RowCap is the most rows a query returns; more are cut silently, as
	// Defender does (default 100000).
	RowCap int
	// MaxResultBytes is the largest response body allowed; a bigger result
	// is answered with a 400 result-size error (default 50 MiB).
	MaxResultBytes int64
	// Tenant is the demo tenant id (default DemoTenant).
	Tenant string
	// Apps replaces the default app registrations when not empty.
	Apps []entra.App
	// Users replaces the default user when not empty.
	Users []entra.User
}

// Server is a running simulator.
type Server struct {
	cfg     Config
	url     string
	caFile  string
	caPool  *x509.CertPool
	tempDir string
	idHdr   string
	tenants []string

	ln     net.Listener
	http   *http.Server
	done   chan error
	entra  *entra.Entra
	data   *dataset.Dataset
	faults *Faults
	calls  callLog

	secOnce sync.Once
	sec     *secStore // the Graph security data, built on first use

	closeOnce sync.Once
	closeErr  error
}

// Start generates the TLS material, builds the tenant and serves it. The
// server is ready when Start returns.
func Start(cfg Config) (*Server, error) {
	s := &Server{done: make(chan error, 1)}
	if err := s.configure(cfg); err != nil {
		return nil, err
	}
	if err := s.listen(); err != nil {
		s.removeTemp()
		return nil, err
	}
	if err := s.build(); err != nil {
		s.ln.Close()
		s.removeTemp()
		return nil, err
	}
	go func() { s.done <- s.http.Serve(s.ln) }()
	return s, nil
}

// configure fills in defaults.
func (s *Server) configure(cfg Config) error {
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Data.Now.IsZero() {
		cfg.Data.Now = cfg.Now()
	}
	if cfg.RowCap <= 0 {
		cfg.RowCap = DefaultRowCap
	}
	if cfg.MaxResultBytes <= 0 {
		cfg.MaxResultBytes = DefaultMaxResultBytes
	}
	if cfg.Tenant == "" {
		cfg.Tenant = DemoTenant
	}
	secret, err := randomToken(24)
	if err != nil {
		return err
	}
	if s.idHdr, err = randomToken(16); err != nil {
		return err
	}
	if len(cfg.Apps) == 0 {
		cfg.Apps = demoApps(cfg.Tenant, secret)
	}
	if len(cfg.Users) == 0 {
		cfg.Users = demoUsers(cfg.Tenant)
	}
	if cfg.Dir == "" {
		if cfg.Dir, err = os.MkdirTemp("", "defender-sim-"); err != nil {
			return fmt.Errorf("sim: temp dir: %w", err)
		}
		s.tempDir = cfg.Dir
	} else if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	s.tenants = tenantSet(cfg)
	s.cfg = cfg
	return nil
}

// listen opens the loopback listener with a freshly generated certificate.
func (s *Server) listen() error {
	ip, port, err := loopbackAddr(s.cfg.Addr)
	if err != nil {
		return err
	}
	ca, tlsCfg, err := newTLS()
	if err != nil {
		return err
	}
	s.caFile = filepath.Join(s.cfg.Dir, "ca.pem")
	if err := os.WriteFile(s.caFile, ca.pem, 0o644); err != nil {
		return fmt.Errorf("sim: write CA: %w", err)
	}
	s.caPool = x509.NewCertPool()
	s.caPool.AddCert(ca.cert)
	raw, err := net.Listen("tcp", net.JoinHostPort(ip.String(), port))
	if err != nil {
		return fmt.Errorf("sim: listen: %w", err)
	}
	s.ln = tls.NewListener(raw, tlsCfg)
	s.url = "https://" + raw.Addr().String()
	return nil
}

// build creates the tenant's parts and the HTTP server.
func (s *Server) build() error {
	e, err := entra.New(entra.Config{
		Issuer:         func(*http.Request) string { return s.url },
		Tenants:        s.tenants,
		Apps:           s.cfg.Apps,
		Users:          s.cfg.Users,
		Now:            s.cfg.Now,
		IdentityHeader: s.idHdr,
	})
	if err != nil {
		return fmt.Errorf("sim: entra: %w", err)
	}
	s.entra = e
	s.data = dataset.New(s.cfg.Data)
	s.faults = newFaults(s.cfg)
	s.http = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          quietLog(),
	}
	return nil
}

// URL is the server's base URL, e.g. "https://127.0.0.1:PORT".
func (s *Server) URL() string { return s.url }

// CAFile is the path of the CA certificate PEM (for SSL_CERT_FILE).
func (s *Server) CAFile() string { return s.caFile }

// CAPool is a certificate pool holding the simulator's CA.
func (s *Server) CAPool() *x509.CertPool { return s.caPool }

// Tenant is the demo tenant id.
func (s *Server) Tenant() string { return s.cfg.Tenant }

// ClientID is the client id of the first registered app with a secret.
func (s *Server) ClientID() string {
	if a := s.secretApp(); a != nil {
		return a.ClientID
	}
	return ""
}

// ClientSecret is the first secret of that app.
func (s *Server) ClientSecret() string {
	if a := s.secretApp(); a != nil {
		return a.Secrets[0]
	}
	return ""
}

func (s *Server) secretApp() *entra.App {
	for i := range s.cfg.Apps {
		if len(s.cfg.Apps[i].Secrets) > 0 {
			return &s.cfg.Apps[i]
		}
	}
	return nil
}

// IdentityEndpoint is the App Service style managed identity endpoint
// (for IDENTITY_ENDPOINT).
func (s *Server) IdentityEndpoint() string { return s.url + "/msi/token" }

// IdentityHeader is the secret expected in X-IDENTITY-HEADER (for
// IDENTITY_HEADER).
func (s *Server) IdentityHeader() string { return s.idHdr }

// Entra is the simulator's token service.
func (s *Server) Entra() *entra.Entra { return s.entra }

// Data is the synthetic data set behind the hunting APIs.
func (s *Server) Data() *dataset.Dataset { return s.data }

// Faults are the switchable quotas and faults.
func (s *Server) Faults() *Faults { return s.faults }

// Calls returns a copy of the log of calls to the Graph and MDE paths.
func (s *Server) Calls() []Call { return s.calls.list() }

// ResetCalls empties the hunting call log.
func (s *Server) ResetCalls() { s.calls.reset() }

// Close stops the server, waits for running requests for up to five
// seconds and removes the temporary directory if Start created one.
// Calling it again returns the first result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.http.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = s.http.Close()
		}
		if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
		s.removeTemp()
		s.closeErr = err
	})
	return s.closeErr
}

func (s *Server) removeTemp() {
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}
