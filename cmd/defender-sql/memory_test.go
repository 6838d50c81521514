package main

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// maxStreamRSS is the peak resident memory allowed for printing a large
// result.
const maxStreamRSS = 150 << 20

// TestStreamsBigResultInBoundedMemory builds defender-sql, runs it against
// a simulator holding 265,000 process events and prints 250,000 of them,
// every column, as CSV. The child's peak RSS stays under maxStreamRSS.
func TestStreamsBigResultInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and streams 250,000 rows")
	}
	const want = 250000
	dir := t.TempDir()
	big, err := sim.Start(sim.Config{Dir: dir, Data: dataset.Options{Seed: 5, Rows: 10,
		TableRows: map[string]int{"DeviceProcessEvents": 265000}}})
	if err != nil {
		t.Fatal(err)
	}
	defer big.Close()
	conf := filepath.Join(dir, "defender.spc")
	if err := os.WriteFile(conf, []byte(big.ConnectionConfig("big")), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "defender-sql")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "--config", conf, "--output", "csv",
		"select * from defender_device_process_events limit 250000")
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+big.CAFile())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(stdout)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		t.Fatalf("header: %v; stderr %s", err, stderr.String())
	}
	rows := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("row %d: %v", rows+1, err)
		}
		if len(rec) != len(header) {
			t.Fatalf("row %d has %d fields, header %d", rows+1, len(rec), len(header))
		}
		rows++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("defender-sql: %v\n%s", err, stderr.String())
	}
	elapsed := time.Since(start)
	if rows != want {
		t.Errorf("%d rows, want %d", rows, want)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("%d rows of %d columns in %s (%.0f rows/s), peak RSS %d MiB",
		rows, len(header), elapsed.Round(time.Millisecond), float64(rows)/elapsed.Seconds(), rss>>20)
	if rss >= maxStreamRSS {
		t.Errorf("peak RSS %d MiB, want under %d MiB", rss>>20, maxStreamRSS>>20)
	}
}
