package pgbed

import (
	"os"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtest"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// root is the module's root directory.
const root = "../.."

// The test binary shares one bed; bedErr says why there is none.
var (
	bed    *Bed
	bedErr error
)

func TestMain(m *testing.M) {
	// The simulator's event times fall in the 30 days before its clock,
	// the real one, so SQL written with now() finds them. The tables whose
	// examples look at the last day hold more rows, so that day has some.
	bed, bedErr = Open(root, dataset.Options{Seed: 7, Rows: dataset.DefaultRows, TableRows: map[string]int{
		"DeviceProcessEvents": 2000, "DeviceNetworkEvents": 2000, "DeviceLogonEvents": 2000,
	}})
	code := m.Run()
	if bed != nil {
		bed.Close()
	}
	os.Exit(code)
}

// needBed returns the shared bed, or skips or fails t as pgtest.Require
// does when there is none.
func needBed(t *testing.T) *Bed {
	t.Helper()
	if bedErr != nil {
		pgtest.Require(t, nil, bedErr)
	}
	return bed
}
