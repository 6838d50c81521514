package e2e

import (
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// TestLikeTermPrefilter checks the has_cs/has term prefilter of LIKE and
// ILIKE end to end: a pattern whose literal term is a whole term of every
// match (kql-semantics §2.6) is sent with the prefilter, returns exactly
// Postgres's rows, and lets the simulator's modelled term index skip rows;
// a pattern without such a term (or a negated one) is sent without it and
// makes the simulator read every row of the window.
func TestLikeTermPrefilter(t *testing.T) {
	def := schema.Lookup("DeviceProcessEvents")
	for _, tc := range []struct {
		name      string
		with      Qual   // allows the prefilter
		prefilter string // what its KQL must hold
		without   Qual   // a pattern that does not allow it
	}{
		{"like", Qual{Column: "process_command_line", Op: "~~", Value: "% -enc %"}, `has_cs "enc"`,
			Qual{Column: "process_command_line", Op: "~~", Value: "%enc %"}},
		{"ilike", Qual{Column: "process_command_line", Op: "~~*", Value: "% -ENC %"}, `has "ENC"`,
			Qual{Column: "process_command_line", Op: "~~*", Value: "%ENC %"}},
		{"like suffix", Qual{Column: "folder_path", Op: "~~", Value: `%\\powershell.exe`}, `has_cs "powershell"`,
			Qual{Column: "folder_path", Op: "!~~", Value: `%\\powershell.exe`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			with := prefilterScan(t, def, tc.with)
			if !strings.Contains(with.Query, tc.prefilter) {
				t.Fatalf("KQL lacks %s: %s", tc.prefilter, with.Query)
			}
			without := prefilterScan(t, def, tc.without)
			if strings.Contains(without.Query, "has") {
				t.Fatalf("KQL without a whole term has a has test: %s", without.Query)
			}
			if without.Skipped != 0 || without.Scanned == 0 {
				t.Fatalf("without the prefilter: scanned %d, skipped %d; want every row scanned", without.Scanned, without.Skipped)
			}
			if with.Rows == 0 || with.Skipped == 0 || with.Scanned+with.Skipped != without.Scanned {
				t.Fatalf("with the prefilter: %d rows, scanned %d, skipped %d; want rows, and %d rows split between scanned and skipped",
					with.Rows, with.Scanned, with.Skipped, without.Scanned)
			}
			t.Logf("%s: %d rows; the exact test read %d of %d rows (%.1f%%)", tc.with.Value, with.Rows,
				with.Scanned, without.Scanned, 100*float64(with.Scanned)/float64(without.Scanned))
		})
	}
}

// prefilterScan runs one unlimited scan of q, checks its rows against
// Postgres's, and returns the single call it made.
func prefilterScan(t *testing.T, def *schema.Table, q Qual) sim.Call {
	t.Helper()
	s := Scan{Table: def.SQLName(), Connections: []string{conn}, Quals: []Qual{q}, Limit: -1}
	s.Columns = scanColumns(def, s.Quals)
	before := len(srv.Calls())
	checkScan(t, def, s)
	calls := srv.Calls()[before:]
	if len(calls) != 1 {
		t.Fatalf("made %d calls, want 1", len(calls))
	}
	return calls[0]
}
