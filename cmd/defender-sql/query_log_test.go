package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
)

// lastLogged runs a query, then reads the newest row of the query log in
// the same session, and returns the row as column → value.
func lastLogged(t *testing.T, query string) map[string]string {
	t.Helper()
	script := query + ";\nselect kql, timespan, status, http_status, rows, bytes, retries, throttle_wait_ms, table_name " +
		"from defender_query_log order by started desc limit 1;\n"
	code, out, errOut := cli(t, script, "--config", spcFile, "--output", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1 // two results, of different widths
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The query's own result comes first; the log row is last.
	head, row := recs[len(recs)-2], recs[len(recs)-1]
	m := map[string]string{}
	for i, h := range head {
		m[h] = row[i]
	}
	return m
}

// TestQueryLog checks the newest query log row against the simulator's
// record of the call: KQL, Timespan, status, rows; and that a throttled
// call shows its wait.
func TestQueryLog(t *testing.T) {
	srv.ResetCalls()
	got := lastLogged(t, "select report_id from defender_device_process_events limit 4")
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	c := calls[0]
	if got["kql"] != c.Query || got["timespan"] != c.Timespan || got["status"] != "ok" || got["http_status"] != "200" ||
		got["rows"] != "4" || got["bytes"] != strconv.FormatInt(c.Bytes, 10) || got["retries"] != "0" ||
		got["table_name"] != "defender_device_process_events" {
		t.Errorf("logged %v\nsimulator saw %q %q status %d rows %d bytes %d", got, c.Query, c.Timespan, c.Status, c.Rows, c.Bytes)
	}

	srv.ResetCalls()
	srv.Faults().FailNext(429, 1)
	got = lastLogged(t, "select report_id from defender_device_process_events limit 2")
	calls = srv.Calls()
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("%d calls, want a 429 then a 200", len(calls))
	}
	wait, _ := strconv.Atoi(got["throttle_wait_ms"])
	if got["status"] != "ok" || got["retries"] != "1" || wait < 500 || got["kql"] != calls[1].Query || got["rows"] != "2" {
		t.Errorf("throttled call logged as %v", got)
	}
	t.Logf("throttled call: waited %d ms", wait)
}
