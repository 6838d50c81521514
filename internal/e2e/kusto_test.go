package e2e

import (
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kustocheck"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// kusto gathers the KQL every simulator of the suite received, for
// TestMain to check with Microsoft's Kusto parser in one batch.
var kusto kustocheck.Collector

// watchSim records the queries s received when the test ends.
func watchSim(tb testing.TB, s *sim.Server) {
	tb.Cleanup(func() { kusto.AddCalls(s.Calls()) })
}
