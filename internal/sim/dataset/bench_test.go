package dataset

import (
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// BenchmarkScanDeviceProcessEvents scans a million-row DeviceProcessEvents
// and reports rows per second.
func BenchmarkScanDeviceProcessEvents(b *testing.B) {
	const n = 1_000_000
	d := New(Options{Seed: 1, Now: testNow, TableRows: map[string]int{"DeviceProcessEvents": n}})
	tab, _ := d.Table("DeviceProcessEvents")
	b.ResetTimer()
	start := time.Now()
	for it := 0; it < b.N; it++ {
		rows := 0
		tab.Scan(func([]engine.Value) bool { rows++; return true })
		if rows != n {
			b.Fatalf("scanned %d rows", rows)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkScanAllDefault scans every table at the default size.
func BenchmarkScanAllDefault(b *testing.B) {
	d := New(Options{Seed: 1, Now: testNow})
	b.ResetTimer()
	start, rows := time.Now(), 0
	for it := 0; it < b.N; it++ {
		for _, name := range d.Names() {
			tab, _ := d.Table(name)
			tab.Scan(func([]engine.Value) bool { rows++; return true })
		}
	}
	b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkNew measures building a dataset.
func BenchmarkNew(b *testing.B) {
	for it := 0; it < b.N; it++ {
		New(Options{Seed: int64(it), Now: testNow})
	}
}
