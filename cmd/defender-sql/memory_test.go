package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	peak := watchPeakRSS(cmd.Process.Pid)
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
	rss := peak()
	t.Logf("%d rows of %d columns in %s (%.0f rows/s), peak RSS %d MiB",
		rows, len(header), elapsed.Round(time.Millisecond), float64(rows)/elapsed.Seconds(), rss>>20)
	if rss >= maxStreamRSS {
		t.Errorf("peak RSS %d MiB, want under %d MiB", rss>>20, maxStreamRSS>>20)
	}
}

// watchPeakRSS polls the peak resident set (VmHWM) of process pid until it
// exits, and returns a function that reports the last value read. The
// rusage of a finished child cannot be used: Linux carries the parent's
// high-water mark into a child started with vfork and exec, so it would
// report the test process's own peak (which holds the simulator's data).
func watchPeakRSS(pid int) func() int64 {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		path := fmt.Sprintf("/proc/%d/status", pid)
		for {
			b, err := os.ReadFile(path)
			if err != nil {
				return // the process is gone
			}
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					var kb int64
					if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err == nil {
						mu.Lock()
						peak = max(peak, kb<<10)
						mu.Unlock()
					}
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() int64 {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
