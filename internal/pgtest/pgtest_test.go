package pgtest

import (
	"os"
	"testing"
)

// TestStartStop starts a cluster, runs a query over the socket as the
// session the tests get, and checks that Stop removes everything.
func TestStartStop(t *testing.T) {
	s, err := Start()
	s = Require(t, s, err)
	defer s.Stop()
	var tz, enc string
	if err := s.DB().QueryRow("select current_setting('TimeZone'), current_setting('server_encoding')").Scan(&tz, &enc); err != nil {
		t.Fatal(err)
	}
	if tz != "UTC" || enc != "UTF8" {
		t.Errorf("TimeZone %s, encoding %s; want UTC, UTF8", tz, enc)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after Stop: %v", s.dir, err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}
