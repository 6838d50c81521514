package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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
	// median seconds for throughputRows rows: the plugin, the SDK floor
	// with the SDK's memory default and with the plugin's, and the API
	// floor
	plugin, sdkDefault, sdkFloor, apiFlr float64
	// the plugin's time over the SDK floor's in each round
	ratios            []float64
	pluginRSS, sdkRSS int64
}

// throughputRounds is how many times BenchmarkThroughput measures each
// path, interleaved, before taking medians: THROUGHPUT_ROUNDS, or 3.
func throughputRounds(tb testing.TB) int {
	v := os.Getenv("THROUGHPUT_ROUNDS")
	if v == "" {
		return 3
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("THROUGHPUT_ROUNDS=%q: want a positive number of rounds", v)
	}
	return n
}

// BenchmarkThroughput streams 100,000 DeviceProcessEvents rows with three
// columns and with every column through three paths, and prints them side
// by side: the plugin (simulator → HTTPS → decode → SDK → go-plugin), the
// SDK floor (cmd/sdkfloor: the same rows, as the same Go values, streamed
// from memory by a plugin on the same SDK, over the same go-plugin path)
// and the API floor (cmd/huntfloor: the same call, only decoding the
// JSON). The SDK floor runs with the plugin's memory policy (no forced
// collection every 100 rows, a soft memory limit) and, for reference,
// with the SDK's default. The paths take turns, round after round, so
// that a change in the machine's load falls on all of them; the figures
// are each path's median.
func BenchmarkThroughput(b *testing.B) {
	s := startSim(b, sim.Config{MaxResultBytes: 1 << 30}, throughputSimRows)
	s.Faults().SetRateLimit(0)
	apiFloor := buildFloor(b)
	sdkFloorBin := buildSDKFloor(b)
	rounds := throughputRounds(b)
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
			// timed streams one scan and returns its seconds.
			timed := func(what string, p *Plugin) float64 {
				started := time.Now()
				if got := countRows(b, p, scan); got != throughputRows {
					b.Fatalf("%s: %d rows, want %d", what, got, throughputRows)
				}
				return time.Since(started).Seconds()
			}
			var plugin, sdkDefault, sdkFloor, apiFlr []float64
			var floors map[string]*Plugin
			profiled := startProfiles(b, p, strings.ReplaceAll(w.name, " ", "-"))
			for round := range rounds {
				before := len(s.Calls())
				plugin = append(plugin, timed("plugin", p))
				if round == 0 {
					profiled()
				}
				calls := callsSince(s, before)
				if len(calls) != 1 {
					b.Fatalf("made %d calls for one scan", len(calls))
				}
				if floors == nil {
					floors = map[string]*Plugin{}
					for _, memory := range []string{"sdk", "plugin"} {
						floors[memory] = startSDKFloor(b, sdkFloorBin, s, calls[0].Query, memory)
					}
				}
				sdkDefault = append(sdkDefault, timed("SDK floor, SDK default", floors["sdk"]))
				sdkFloor = append(sdkFloor, timed("SDK floor", floors["plugin"]))
				f.ratios = append(f.ratios, plugin[round]/sdkFloor[round])
				fr := runFloor(b, apiFloor, s, calls[0].Query, calls[0].Timespan)
				if fr.Rows != throughputRows {
					b.Fatalf("API floor decoded %d rows, want %d", fr.Rows, throughputRows)
				}
				apiFlr = append(apiFlr, fr.Seconds)
			}
			f.plugin, f.sdkDefault, f.sdkFloor, f.apiFlr = median(plugin), median(sdkDefault), median(sdkFloor), median(apiFlr)
			var err error
			if f.pluginRSS, err = vmHWM(p.client.ReattachConfig().Pid); err != nil {
				b.Fatal(err)
			}
			if f.sdkRSS, err = vmHWM(floors["plugin"].client.ReattachConfig().Pid); err != nil {
				b.Fatal(err)
			}
			figures = append(figures, f)
			b.ReportMetric(throughputRows/f.plugin, "rows/s")
			b.ReportMetric(throughputRows/f.sdkFloor, "sdk-floor-rows/s")
			b.ReportMetric(throughputRows/f.sdkDefault, "sdk-default-floor-rows/s")
			b.ReportMetric(throughputRows/f.apiFlr, "api-floor-rows/s")
			b.ReportMetric(f.plugin/max(f.sdkFloor, f.apiFlr), "plugin/max-floor")
			b.ReportMetric(float64(f.pluginRSS)/(1<<20), "plugin-peak-RSS-MiB")
		})
	}
	if len(figures) == 0 {
		return
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("\n%d DeviceProcessEvents rows, median of %d rounds (load average at the end: %s)\n", throughputRows, rounds,
		strings.Join(strings.Fields(string(load))[:3], " "))
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
	for _, f := range figures {
		fmt.Printf("%s, plugin ÷ SDK floor by round:", f.width)
		for _, r := range f.ratios {
			fmt.Printf(" %.2f×", r)
		}
		fmt.Println()
	}
}

// median returns the middle value of xs (the mean of the two middle ones
// for an even count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
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
