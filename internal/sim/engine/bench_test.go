package engine

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// benchTable generates n rows on the fly from small pools of pre-boxed
// values, so the benchmark measures the engine rather than the generator.
func benchTable(n int) *Table {
	words := []Value{"cmd.exe", "powershell.exe", "svchost.exe", "explorer.exe", "rundll32.exe", "chrome.exe"}
	lines := make([]Value, 64)
	for i := range lines {
		lines[i] = fmt.Sprintf(`"C:\Windows\System32\%s" -k Netsvcs-%d -p %s`, words[i%len(words)], i, words[(i*7)%len(words)])
	}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	return &Table{
		Name: "DeviceProcessEvents",
		Columns: []Column{
			{"Timestamp", TDateTime}, {"DeviceName", TString}, {"FileName", TString},
			{"ProcessCommandLine", TString}, {"ProcessId", TLong},
		},
		Scan: func(yield func([]Value) bool) {
			row := make([]Value, 5)
			for i := range n {
				row[0] = base.Add(time.Duration(i) * time.Second)
				row[1] = words[i%5]
				row[2] = words[i%len(words)]
				row[3] = lines[i%len(lines)]
				row[4] = int64(i)
				if !yield(row) {
					return
				}
			}
		},
	}
}

func benchQuery(b *testing.B, rows int, src string) {
	cat := memCatalog{"DeviceProcessEvents": benchTable(rows)}
	q, err := Parse(src)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	start := time.Now()
	var out int
	for range b.N {
		res, err := q.Eval(cat, fixedClock)
		if err != nil {
			b.Fatal(err)
		}
		out = len(res.Rows)
	}
	secs := time.Since(start).Seconds()
	cpu := (cpuTime() - cpu0).Seconds()
	rate := float64(rows) * float64(b.N) / secs
	b.ReportMetric(rate, "rows/s")
	b.ReportMetric(float64(rows)*float64(b.N)/cpu, "rows/cpu-s")
	b.Logf("%s: %d rows scanned, %d returned, %.0f rows/s wall, %.0f rows per CPU second", src, rows, out, rate, float64(rows)*float64(b.N)/cpu)
}

// cpuTime is the process's user plus system CPU time, which is a steadier
// measure than wall time on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkWhereHasProject(b *testing.B) {
	benchQuery(b, 1000000, `DeviceProcessEvents | where ProcessCommandLine has "netsvcs" and FileName =~ "CMD.EXE" | project Timestamp, DeviceName, ProcessId`)
}

func BenchmarkWhereContainsTimeWindow(b *testing.B) {
	benchQuery(b, 1000000, `DeviceProcessEvents | where Timestamp > datetime(2026-11-05) and ProcessCommandLine contains "POWERSHELL" | project ProcessId`)
}

func BenchmarkSummarizeByDevice(b *testing.B) {
	benchQuery(b, 1000000, `DeviceProcessEvents | summarize count(), dcount(FileName) by DeviceName`)
}
