package sqlvtab_test

import (
	"context"
	"testing"
)

// BenchmarkScan reads every in-window row of DeviceProcessEvents through
// the plugin, the simulator's HTTPS API and SQLite, and reports rows per
// second.
func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	rows := 0
	for b.Loop() {
		_, r, err := db.QueryAll(ctx, "select report_id, device_name, file_name, timestamp, file_size from "+tP)
		if err != nil {
			b.Fatal(err)
		}
		rows += len(r)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
