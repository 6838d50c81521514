// Package pgtest runs a throw-away PostgreSQL cluster for a test binary.
//
// Start creates a cluster in a new temporary directory with initdb (C
// locale, UTF-8), starts the server listening only on a unix socket in that
// directory, and connects to it with pgx's database/sql driver. Stop shuts
// the server down with pg_ctl stop -m fast and removes the directory. When
// the test process runs as root, as CI does, the cluster is created and run
// as the postgres user, since the server refuses to run as root. Start is
// meant for TestMain: one cluster per test binary.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	// The pgx driver registers itself with database/sql as "pgx".
	_ "github.com/jackc/pgx/v5/stdlib"
)

// startTimeout bounds how long Start waits for the server to accept
// connections.
const startTimeout = 30 * time.Second

// Server is a running throw-away cluster.
type Server struct {
	bin  string // directory holding initdb, pg_ctl and postgres
	dir  string // temporary directory: data/, the socket and the log
	as   *account
	proc *exec.Cmd
	exit chan error // receives the server process's exit
	db   *sql.DB

	stopOnce sync.Once
	stopErr  error
}

// Start creates and starts a cluster. When PostgreSQL is not installed the
// error wraps ErrNotInstalled; see Require.
func Start() (*Server, error) {
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	as, err := runAs()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin, dir: dir, as: as}
	if err := s.start(); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) start() error {
	// The socket path must fit in sockaddr_un (107 bytes).
	if len(s.dir) > 80 {
		return fmt.Errorf("pgtest: temporary directory %s is too long for a unix socket path; set TMPDIR", s.dir)
	}
	if err := s.as.own(s.dir); err != nil {
		return err
	}
	data := filepath.Join(s.dir, "data")
	initdb := s.command("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--locale=C", "-E", "UTF8", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	log, err := os.Create(filepath.Join(s.dir, "server.log"))
	if err != nil {
		return err
	}
	defer log.Close()
	// The server is a child of this process, so it dies with it (see
	// stopWithParent) instead of outliving a test binary that crashed.
	s.proc = s.command("postgres", "-D", data,
		"-c", "listen_addresses=", "-c", "unix_socket_directories="+s.dir,
		"-c", "TimeZone=UTC", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=20")
	s.proc.Stdout, s.proc.Stderr = log, log
	stopWithParent(s.proc)
	if err := s.proc.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	s.exit = make(chan error, 1)
	go func() { s.exit <- s.proc.Wait() }()

	if s.db, err = sql.Open("pgx", s.DSN()); err != nil {
		return err
	}
	return s.waitReady()
}

// waitReady polls the server until it accepts a connection.
func (s *Server) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		err := s.db.PingContext(ctx)
		if err == nil {
			return nil
		}
		select {
		case werr := <-s.exit:
			s.exit <- werr
			return fmt.Errorf("pgtest: postgres exited (%v):\n%s", werr, s.Log())
		case <-ctx.Done():
			return fmt.Errorf("pgtest: postgres not ready after %s: %v\n%s", startTimeout, err, s.Log())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// command returns a command running one of the cluster's binaries as the
// cluster's owner.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	s.as.apply(cmd)
	return cmd
}

// DSN is the connection string of the cluster's postgres database, as the
// postgres superuser over the unix socket.
func (s *Server) DSN() string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=postgres sslmode=disable", s.dir)
}

// DB is a connection pool to the cluster's postgres database.
func (s *Server) DB() *sql.DB { return s.db }

// Log returns what the server has logged so far.
func (s *Server) Log() string {
	b, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
	return strings.TrimSpace(string(b))
}

// Stop shuts the server down (pg_ctl stop -m fast) and removes its
// directory. It is safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.proc != nil && s.proc.Process != nil {
		select {
		case <-s.exit:
		default:
			if out, err := s.command("pg_ctl", "stop", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w").CombinedOutput(); err != nil {
				errs = append(errs, fmt.Errorf("pgtest: pg_ctl stop: %v\n%s", err, out))
				s.proc.Process.Kill()
			}
			<-s.exit
		}
	}
	errs = append(errs, os.RemoveAll(s.dir))
	return errors.Join(errs...)
}
