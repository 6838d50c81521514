package pgtest

import (
	"errors"
	"os"
	"testing"
)

// Require returns s when Start succeeded. Otherwise it ends the test: a
// missing PostgreSQL skips it, unless CI=true, where it fails, as does any
// other error.
func Require(t testing.TB, s *Server, err error) *Server {
	t.Helper()
	switch {
	case err == nil:
		return s
	case errors.Is(err, ErrNotInstalled) && os.Getenv("CI") != "true":
		t.Skip(err)
	default:
		t.Fatal(err)
	}
	return nil
}
