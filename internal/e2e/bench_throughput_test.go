package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// The scan size of BenchmarkThroughput, and the rows of its simulator's
// DeviceProcessEvents.
const (
	throughputRows    = 100_000
	throughputSimRows = 110_000
)

// throughputFigures is one width's result of BenchmarkThroughput.
type throughputFigures struct {
	width string
	// seconds for throughputRows rows: the plugin, the SDK floor with the
	// SDK's memory default and with the plugin's, and the API floor
	plugin, sdkDefault, sdkFloor, apiFlr float64
	pluginRSS, sdkRSS                    int64
}

// BenchmarkThroughput streams 100,000 DeviceProcessEvents rows with three
// columns and with every column through three paths, and prints them side
// by side: the plugin (simulator → HTTPS → decode → SDK → go-plugin), the
// SDK floor (cmd/sdkfloor: the same rows, as the same Go values, streamed
// from memory by a plugin on the same SDK, over the same go-plugin path)
// and the API floor (cmd/huntfloor: the same call, only decoding the
// JSON). The SDK floor runs with the plugin's memory policy (no forced
// collection every 100 rows, a soft memory limit) and, for reference,
// with the SDK's default.
func BenchmarkThroughput(b *testing.B) {
	s := startSim(b, sim.Config{MaxResultBytes: 1 << 30}, throughputSimRows)
	s.Faults().SetRateLimit(0)
	apiFloor := buildFloor(b)
	sdkFloor := buildSDKFloor(b)
	def := schema.Lookup("DeviceProcessEvents")
	all := []string{"tenant_id"}
	for i := range def.Columns {
		all = append(all, sqlName(&def.Columns[i]))
	}
	window := []Qual{{Column: "timestamp", Op: ">=", Value: simNow.Add(-30 * 24 * time.Hour)},
		{Column: "timestamp", Op: "<=", Value: simNow}}
	var figures []throughputFigures
	for _, w := range []struct {
		name string
		cols []string
	}{{"3 columns", []string{"timestamp", "device_name", "file_name"}}, {fmt.Sprintf("%d columns", len(all)), all}} {
		b.Run(strings.ReplaceAll(w.name, " ", "-"), func(b *testing.B) {
			f := throughputFigures{width: w.name}
			scan := Scan{Table: procTable, Connections: []string{"bench"}, Columns: w.cols, Quals: window, Limit: throughputRows}
			p := startPluginEnv(b, []*sim.Server{s}, profileEnv(), Connection{Name: "bench", Config: connConfig(s)})
			if err := p.SetRateLimiters(fastLimiter); err != nil {
				b.Fatal(err)
			}
			mustScan(b, p, oneRowScan("bench"), time.Minute) // token and connection
			before := len(s.Calls())
			profiled := startProfiles(b, p, strings.ReplaceAll(w.name, " ", "-"))
			b.ResetTimer()
			for b.Loop() {
				if got := countRows(b, p, scan); got != throughputRows {
					b.Fatalf("plugin: %d rows, want %d", got, throughputRows)
				}
			}
			f.plugin = b.Elapsed().Seconds() / float64(b.N)
			b.StopTimer()
			profiled()
			calls := callsSince(s, before)
			if len(calls) != b.N {
				b.Fatalf("made %d calls for %d scans", len(calls), b.N)
			}
			last := calls[len(calls)-1]
			var err error
			if f.pluginRSS, err = vmHWM(p.client.ReattachConfig().Pid); err != nil {
				b.Fatal(err)
			}

			for _, memory := range []string{"sdk", "plugin"} {
				fp := startSDKFloor(b, sdkFloor, s, last.Query, memory)
				started := time.Now()
				if got := countRows(b, fp, scan); got != throughputRows {
					b.Fatalf("SDK floor: %d rows, want %d", got, throughputRows)
				}
				if memory == "sdk" {
					f.sdkDefault = time.Since(started).Seconds()
					continue
				}
				f.sdkFloor = time.Since(started).Seconds()
				if f.sdkRSS, err = vmHWM(fp.client.ReattachConfig().Pid); err != nil {
					b.Fatal(err)
				}
			}

			fr := runFloor(b, apiFloor, s, last.Query, last.Timespan)
			if fr.Rows != throughputRows {
				b.Fatalf("API floor decoded %d rows, want %d", fr.Rows, throughputRows)
			}
			f.apiFlr = fr.Seconds
			figures = append(figures, f)
			worst := max(f.sdkFloor, f.apiFlr)
			b.ReportMetric(throughputRows/f.plugin, "rows/s")
			b.ReportMetric(throughputRows/f.sdkFloor, "sdk-floor-rows/s")
			b.ReportMetric(throughputRows/f.sdkDefault, "sdk-default-floor-rows/s")
			b.ReportMetric(throughputRows/f.apiFlr, "api-floor-rows/s")
			b.ReportMetric(f.plugin/worst, "plugin/max-floor")
			b.ReportMetric(float64(f.pluginRSS)/(1<<20), "plugin-peak-RSS-MiB")
		})
	}
	if len(figures) == 0 {
		return
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("\n%d DeviceProcessEvents rows (load average at the end: %s)\n", throughputRows, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Printf("%-11s %11s %11s %11s %11s %10s %10s %10s %10s %10s\n", "width", "plugin", "SDK floor", "SDK dflt",
		"API floor", "÷SDK", "÷API", "÷max", "RSS MiB", "floor RSS")
	for _, f := range figures {
		fmt.Printf("%-11s %11.0f %11.0f %11.0f %11.0f %9.2f× %9.2f× %9.2f× %10.1f %10.1f\n", f.width,
			throughputRows/f.plugin, throughputRows/f.sdkFloor, throughputRows/f.sdkDefault, throughputRows/f.apiFlr,
			f.plugin/f.sdkFloor, f.plugin/f.apiFlr, f.plugin/max(f.sdkFloor, f.apiFlr),
			float64(f.pluginRSS)/(1<<20), float64(f.sdkRSS)/(1<<20))
	}
	fmt.Println("rows/s; SDK floor bounds memory as the plugin does, SDK dflt keeps the SDK's collection every 100 rows;")
	fmt.Println("÷ columns are the plugin's time over each floor's; RSS is peak VmHWM of the plugin and of the SDK floor")
}

// profileDir is where BenchmarkThroughput writes the plugin process's
// CPU and allocation profiles of each width's first 10 s of scanning,
// when set: THROUGHPUT_PPROF=/some/dir.
var profileDir = os.Getenv("THROUGHPUT_PPROF")

// profileEnv turns on the SDK's pprof server in the plugin process when
// profiles are wanted; the SDK logs its address at INFO.
func profileEnv() []string {
	if profileDir == "" {
		return nil
	}
	return []string{"STEAMPIPE_PPROF=1", "STEAMPIPE_LOG_LEVEL=INFO"}
}

// startProfiles starts fetching a 10 s CPU profile and a 10 s allocation
// profile from p, when profiles are wanted, into profileDir as
// plugin-<name>.cpu.pprof and .allocs.pprof. The function it returns
// waits for both.
func startProfiles(tb testing.TB, p *Plugin, name string) func() {
	if profileDir == "" {
		return func() {}
	}
	m := regexp.MustCompile(`localhost:(\d+)/debug/pprof/`).FindStringSubmatch(p.Log())
	if m == nil {
		tb.Fatal("the plugin logged no pprof address")
	}
	var wg sync.WaitGroup
	for file, path := range map[string]string{"cpu": "profile", "allocs": "allocs"} {
		wg.Go(func() {
			out := filepath.Join(profileDir, "plugin-"+name+"."+file+".pprof")
			if err := fetchTo(fmt.Sprintf("http://localhost:%s/debug/pprof/%s?seconds=10", m[1], path), out); err != nil {
				tb.Error(err)
			}
		})
	}
	return wg.Wait
}

// fetchTo saves the body of a GET of url in file.
func fetchTo(url, file string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// buildSDKFloor compiles cmd/sdkfloor.
func buildSDKFloor(tb testing.TB) string {
	tb.Helper()
	root, _ := filepath.Abs("../..")
	out := filepath.Join(tb.TempDir(), "sdkfloor.plugin")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/sdkfloor")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build sdkfloor: %v\n%s", err, b)
	}
	return out
}

// startSDKFloor starts the SDK floor with the rows that s, a simulator
// of startSim with throughputSimRows process events, returns for kql,
// under a connection named "bench"; memory "plugin" makes it bound memory
// as the Defender plugin does.
func startSDKFloor(tb testing.TB, bin string, s *sim.Server, kql, memory string) *Plugin {
	tb.Helper()
	p, err := Start(bin, fmt.Sprintf("SDKFLOOR_SEED=%d", benchSeed), "SDKFLOOR_NOW="+simNow.Format(time.RFC3339),
		fmt.Sprintf("SDKFLOOR_ROWS=%d", benchRows), fmt.Sprintf("SDKFLOOR_PROCESS_ROWS=%d", throughputSimRows),
		"SDKFLOOR_QUERY="+kql, "SDKFLOOR_TENANT="+s.Tenant(), "SDKFLOOR_MEMORY="+memory)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Close)
	if err := p.SetConnections(Connection{Name: "bench"}); err != nil {
		tb.Fatal(err)
	}
	return p
}
