package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

var (
	srv     *sim.Server
	spcFile string
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "defender-sql-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	srv, err = sim.Start(sim.Config{Dir: dir, Data: dataset.Options{Seed: 3, Rows: 50}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	// Go reads SSL_CERT_FILE once, before the first TLS handshake.
	os.Setenv("SSL_CERT_FILE", srv.CAFile())
	spcFile = filepath.Join(dir, "defender.spc")
	conf := srv.ConnectionConfig("sim") + srv.ConnectionConfig("sim2") + "connection \"other\" {\n  plugin = \"aws\"\n}\n"
	if err := os.WriteFile(spcFile, []byte(conf), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// cli runs the command with stdin and returns its exit code and output.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// tvmCount is the number of rows in a table without a time column.
func tvmCount() int {
	tbl, _ := srv.Data().Table("DeviceTvmSoftwareVulnerabilities")
	n := 0
	tbl.Scan(func([]engine.Value) bool { n++; return true })
	return n
}

const countSQL = "select count(*) as n, 'a,b' as label, null as empty from defender_device_tvm_software_vulnerabilities"

func TestOutputFormats(t *testing.T) {
	want := fmt.Sprint(tvmCount())

	code, out, errOut := cli(t, "", "--config", spcFile, "--output", "csv", countSQL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 || strings.Join(recs[0], "|") != "n|label|empty" || strings.Join(recs[1], "|") != want+"|a,b|" {
		t.Errorf("csv %q (%v), want count %s", out, err, want)
	}

	_, out, _ = cli(t, "", "--config", spcFile, "--output", "json", countSQL)
	var arr []map[string]any
	if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) != 1 || fmt.Sprint(arr[0]["n"]) != want || arr[0]["empty"] != nil {
		t.Errorf("json %q: %v", out, err)
	}

	_, out, _ = cli(t, "", "--config", spcFile, "--output", "jsonl", countSQL)
	var obj map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &obj); err != nil || obj["label"] != "a,b" {
		t.Errorf("jsonl %q: %v", out, err)
	}

	_, out, _ = cli(t, "", "--config", spcFile, "--output", "table", countSQL)
	if !strings.Contains(out, "| n ") || !strings.Contains(out, "<null>") || !strings.Contains(out, " "+want+" |") {
		t.Errorf("table:\n%s", out)
	}

	// Not a terminal: csv by default.
	_, out, _ = cli(t, "", "--config", spcFile, countSQL)
	if !strings.HasPrefix(out, "n,label,empty\n") {
		t.Errorf("default output %q", out)
	}
}

func TestScriptFromStdin(t *testing.T) {
	script := "-- two statements\nselect 1 as a;\nselect 'x;y' as b; /* done */\n"
	code, out, errOut := cli(t, script, "--config", spcFile, "--output", "csv")
	if code != 0 || out != "a\n1\nb\nx;y\n" {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	code, _, errOut = cli(t, "select * from no_such_table;", "--config", spcFile)
	if code != 1 || !strings.Contains(errOut, "no such table") {
		t.Errorf("exit %d, err %q", code, errOut)
	}
}

func TestConnections(t *testing.T) {
	// The second connection's tables are in a schema named after it.
	code, out, errOut := cli(t, "", "--config", filepath.Dir(spcFile), "--connection", "sim2", "--output", "csv",
		"select (select count(*) from defender_device_tvm_software_vulnerabilities) = (select count(*) from sim.defender_device_tvm_software_vulnerabilities) as same")
	if code != 0 || out != "same\n1\n" {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	code, _, errOut = cli(t, "", "--config", spcFile, "--connection", "other", "select 1")
	if code != 1 || !strings.Contains(errOut, "not defender") || !strings.Contains(errOut, "sim, sim2") {
		t.Errorf("exit %d, err %q", code, errOut)
	}
	code, _, errOut = cli(t, "", "--config", filepath.Join(filepath.Dir(spcFile), "missing.spc"), "select 1")
	if code != 1 || !strings.Contains(errOut, "missing.spc") {
		t.Errorf("exit %d, err %q", code, errOut)
	}
	code, _, _ = cli(t, "", "--output", "xml", "select 1")
	if code != 2 {
		t.Errorf("bad --output: exit %d", code)
	}
}

func TestSplitStatements(t *testing.T) {
	stmts, rest := splitStatements("select ';' as a; select \"x;\" from [t;]; -- c;\n/* ; */ select 2; select 3")
	want := []string{"select ';' as a", `select "x;" from [t;]`, "-- c;\n/* ; */ select 2"}
	if strings.Join(stmts, "\x00") != strings.Join(want, "\x00") || rest != " select 3" {
		t.Errorf("got %q rest %q", stmts, rest)
	}
	if stmts, _ := splitStatements("; -- nothing\n;"); len(stmts) != 0 {
		t.Errorf("empty statements: %q", stmts)
	}
}
