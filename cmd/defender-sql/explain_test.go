package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/docgen"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
)

// readmeFirstExample is the README's first SQL example in SQLite's
// dialect.
func readmeFirstExample(t *testing.T) string {
	t.Helper()
	md, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(md), "```sql\n")
	block, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("no SQL block in README.md")
	}
	sql, err := docgen.Example{SQL: block}.SQLiteSQL()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimSpace(sql), ";")
}

// explained parses --explain output: the KQL and the Timespan of each
// request.
func explained(out string) (kql, timespans []string) {
	for _, part := range strings.Split(strings.TrimSpace(out), "\n\n") {
		head, body, _ := strings.Cut(part, "\n")
		_, ts, _ := strings.Cut(head, " Timespan ")
		kql, timespans = append(kql, body), append(timespans, ts)
	}
	return kql, timespans
}

// isoTime is a time as the KQL and the Timespan render it.
var isoTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// sameButClock compares two requests made a moment apart: equal once
// their times are masked, and each time within a minute of the other's.
func sameButClock(t *testing.T, what, explain, sent string) {
	t.Helper()
	mask := func(s string) string { return isoTime.ReplaceAllString(s, "<time>") }
	if mask(explain) != mask(sent) {
		t.Errorf("%s differs:\n explain %s\n sent    %s", what, explain, sent)
		return
	}
	a, b := isoTime.FindAllString(explain, -1), isoTime.FindAllString(sent, -1)
	for i := range a {
		ta, _ := time.Parse(time.RFC3339Nano, a[i])
		tb, _ := time.Parse(time.RFC3339Nano, b[i])
		if d := tb.Sub(ta); d < 0 || d > time.Minute {
			t.Errorf("%s: time %s explained, %s sent", what, a[i], b[i])
		}
	}
}

// TestExplainIsWhatIsSent explains the README's first example, checks
// that nothing reached the simulator, then runs it and compares with the
// simulator's request log. The example's window is relative to now, so
// the two differ only in its times, by the moment between the runs.
func TestExplainIsWhatIsSent(t *testing.T) {
	sql := readmeFirstExample(t)
	srv.ResetCalls()
	code, out, errOut := cli(t, "", "--config", spcFile, "--explain", sql)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Fatalf("--explain sent %d requests", len(calls))
	}
	kql, ts := explained(out)
	if len(kql) != 1 || !strings.HasPrefix(out, "-- defender_device_process_events (connection sim) Timespan ") {
		t.Fatalf("explain output:\n%s", out)
	}
	if code, _, errOut := cli(t, "", "--config", spcFile, sql); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d requests sent, explain showed 1", len(calls))
	}
	sameButClock(t, "KQL", kql[0], calls[0].Query)
	sameButClock(t, "Timespan", ts[0], calls[0].Timespan)
}

// TestExplainSendsNothingForGraph explains a scan of a Graph security
// table: its URL is printed and not requested.
func TestExplainSendsNothingForGraph(t *testing.T) {
	srv.ResetCalls()
	code, out, errOut := cli(t, "", "--config", spcFile, "--explain", "select id from defender_incident where status = 'active'")
	if code != 0 || len(srv.Calls()) != 0 {
		t.Fatalf("exit %d, %d requests: %s", code, len(srv.Calls()), errOut)
	}
	if !strings.Contains(out, "GET https://") || !strings.Contains(out, "/v1.0/security/incidents") {
		t.Errorf("explain output:\n%s", out)
	}
}

// TestKQLOn turns on .kql in the interactive shell: each request is
// printed to standard error as the query runs.
func TestKQLOn(t *testing.T) {
	var out, errOut strings.Builder
	o, err := parseArgs([]string{"--config", spcFile, "--output", "csv"}, &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := bridgeOptions(o.config, o.connection)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlvtab.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sh := &shell{db: db, format: o.format, out: &out, errOut: &errOut}
	srv.ResetCalls()
	sh.interactive(strings.NewReader(".kql on\nselect report_id from defender_device_process_events limit 3;\n.kql off\nselect 2;\n"))
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d requests", len(calls))
	}
	if got := errOut.String(); !strings.Contains(got, calls[0].Query) || !strings.Contains(got, ": ok, 3 rows") || strings.Count(got, "-- ") != 1 {
		t.Errorf(".kql on printed:\n%s\nwant the request %s", got, calls[0].Query)
	}
}
