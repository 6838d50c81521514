package dataset

import (
	"reflect"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

func TestSameOptionsSameRows(t *testing.T) {
	a, b := newTest(t), newTest(t)
	for _, name := range a.Names() {
		ra, rb := scan(t, a, name), scan(t, b, name)
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("%s differs between two datasets with the same options", name)
		}
		if again := scan(t, a, name); !reflect.DeepEqual(ra, again) {
			t.Errorf("%s differs between two scans of one dataset", name)
		}
	}
}

func TestDifferentSeedsDiffer(t *testing.T) {
	a := New(Options{Seed: 1, Now: testNow})
	b := New(Options{Seed: 2, Now: testNow})
	for _, name := range []string{"DeviceProcessEvents", "EmailEvents", "DeviceInfo", "AlertInfo"} {
		if reflect.DeepEqual(scan(t, a, name), scan(t, b, name)) {
			t.Errorf("%s identical for seeds 1 and 2", name)
		}
	}
}

// Rows must not depend on how many rows the table has, so a short table
// is a prefix of a long one.
func TestRowsArePrefixStable(t *testing.T) {
	short := New(Options{Seed: 7, Now: testNow, Rows: 60})
	long := New(Options{Seed: 7, Now: testNow, Rows: 60, TableRows: map[string]int{"DeviceProcessEvents": 500, "DeviceInfo": 90}})
	for _, name := range []string{"DeviceProcessEvents", "DeviceInfo"} {
		s, l := scan(t, short, name), scan(t, long, name)
		if len(s) != 60 || len(l) <= 60 {
			t.Fatalf("%s: %d and %d rows", name, len(s), len(l))
		}
		if !reflect.DeepEqual(s, l[:60]) {
			t.Errorf("%s: the first 60 rows change with the table length", name)
		}
	}
}

func TestRowCountOptions(t *testing.T) {
	d := New(Options{Seed: 3, Now: testNow, Rows: 17, TableRows: map[string]int{"EmailEvents": 0, "AlertInfo": 33}})
	for name, want := range map[string]int{"DeviceProcessEvents": 17, "EmailEvents": 0, "AlertInfo": 33} {
		if got := len(scan(t, d, name)); got != want {
			t.Errorf("%s has %d rows, want %d", name, got, want)
		}
	}
	// Tables that refer to an empty EmailEvents still produce full rows.
	if got := len(scan(t, d, "UrlClickEvents")); got != 17 {
		t.Errorf("UrlClickEvents has %d rows, want 17", got)
	}
	// Stopping early must stop the scan.
	tab, _ := d.Table("DeviceProcessEvents")
	n := 0
	tab.Scan(func([]engine.Value) bool { n++; return n < 5 })
	if n != 5 {
		t.Errorf("scan continued after yield returned false: %d rows", n)
	}
}
