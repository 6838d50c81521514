package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// floorResult is what one huntfloor run did.
type floorResult struct {
	Rows    int     `json:"rows"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	PeakRSS int64   `json:"peak_rss"` // bytes
}

// buildFloor compiles cmd/huntfloor.
func buildFloor(tb testing.TB) string {
	tb.Helper()
	root, _ := filepath.Abs("../..")
	out := filepath.Join(tb.TempDir(), "huntfloor")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/huntfloor")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build huntfloor: %v\n%s", err, b)
	}
	return out
}

// runFloor runs huntfloor against s with the given KQL and Timespan.
func runFloor(tb testing.TB, floor string, s *sim.Server, kql, timespan string) floorResult {
	tb.Helper()
	cmd := exec.Command(floor, "-authority", s.URL(), "-endpoint", s.URL(), "-tenant", s.Tenant(),
		"-client-id", s.ClientID(), "-query", kql, "-timespan", timespan)
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+s.CAFile(), "HUNTFLOOR_CLIENT_SECRET="+s.ClientSecret())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("huntfloor: %v\n%s", err, stderr.String())
	}
	var r floorResult
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		tb.Fatalf("huntfloor output %q: %v", stdout.String(), err)
	}
	return r
}

// vmHWM reads the peak resident set size of process pid, in bytes.
func vmHWM(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}
