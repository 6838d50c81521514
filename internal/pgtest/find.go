package pgtest

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
)

// debianBin is where Debian's postgresql packages install the server
// binaries, one directory per major version.
const debianBin = "/usr/lib/postgresql/*/bin"

// findBinaries returns the directory holding initdb, pg_ctl and postgres:
// the newest Debian version, or else the one on PATH.
func findBinaries() (string, error) {
	dirs, _ := filepath.Glob(debianBin)
	best, bestVersion := "", -1
	for _, d := range dirs {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if err != nil || v <= bestVersion || !complete(d) {
			continue
		}
		best, bestVersion = d, v
	}
	if best != "" {
		return best, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil && complete(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("%w: no initdb, pg_ctl and postgres in %s or on PATH", ErrNotInstalled, debianBin)
}

// complete reports whether dir holds every binary the cluster needs.
func complete(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := exec.LookPath(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// ErrNotInstalled is wrapped by Start's error when no PostgreSQL server
// binaries were found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed (on Debian: apt-get install -y postgresql)")
