package sqlvtab_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
)

// mode says how a bridge result is compared with plain SQLite's.
type mode int

const (
	multiset mode = iota // same rows, any order
	ordered              // same rows, same order (ORDER BY fixes it)
	// subset: a LIMIT without ORDER BY may return any matching rows:
	// same count as plain SQLite, and every row among those the
	// statement without its LIMIT returns (case.all).
	subset
)

// diffCase is one statement of the differential test.
type diffCase struct {
	sql  string
	mode mode
	all  string // for subset: the statement without LIMIT/OFFSET
	// maxCalls bounds the hunting API calls the statement may make.
	maxCalls int
	// where: every call must filter in KQL (the condition was pushed).
	where bool
	// take: some call must carry a row limit (the LIMIT was pushed);
	// noTake: no call may.
	take, noTake bool
}

// Table aliases used in the statements.
const (
	tP = "defender_device_process_events"
	tN = "defender_device_network_events"
	tI = "defender_device_info"
	tE = "defender_email_events"
	tU = "defender_url_click_events"
	tS = "defender_entra_id_sign_in_events"
	tV = "defender_device_tvm_software_vulnerabilities"
)

// params are literal values picked from the data, so statements select
// real rows whatever the generator produces.
type params map[string]string

func pick(ctx context.Context, t *testing.T, q string) string {
	t.Helper()
	var s string
	if err := native.QueryRowContext(ctx, q).Scan(&s); err != nil {
		t.Fatalf("pick %q: %v", q, err)
	}
	return s
}

func pickParams(ctx context.Context, t *testing.T) params {
	p := params{
		"P": tP, "N": tN, "I": tI, "E": tE, "U": tU, "S": tS, "V": tV,
		"dev":   pick(ctx, t, "select device_name from "+tP+" group by 1 order by count(*) desc, 1 limit 1"),
		"dev2":  pick(ctx, t, "select device_name from "+tP+" group by 1 order by count(*) desc, 1 limit 1 offset 1"),
		"fname": pick(ctx, t, "select file_name from "+tP+" group by 1 order by count(*) desc, 1 limit 1"),
		"size":  pick(ctx, t, "select file_size from "+tP+" where file_size is not null order by file_size limit 1 offset (select count(file_size)/2 from "+tP+")"),
		"size2": pick(ctx, t, "select file_size from "+tP+" where file_size is not null order by file_size limit 1 offset (select count(file_size)*3/4 from "+tP+")"),
		"ts":    pick(ctx, t, "select timestamp from "+tP+" order by timestamp limit 1 offset (select count(*)/2 from "+tP+")"),
		"ts2":   pick(ctx, t, "select timestamp from "+tP+" order by timestamp limit 1 offset (select count(*)*3/4 from "+tP+")"),
		"rid":   pick(ctx, t, "select report_id from "+tP+" order by report_id limit 1 offset 3"),
		"upn":   pick(ctx, t, "select account_upn from "+tP+" where account_upn is not null group by 1 order by count(*) desc, 1 limit 1"),
		"port":  pick(ctx, t, "select remote_port from "+tN+" where remote_port is not null group by 1 order by count(*) desc, 1 limit 1"),
		"os":    pick(ctx, t, "select os_platform from "+tI+" where os_platform is not null group by 1 order by count(*) desc, 1 limit 1"),
		"ndev":  pick(ctx, t, "select count(distinct device_id) + 2 from "+tI),
		"ndevn": pick(ctx, t, "select count(distinct device_id) + 2 from "+tN),
	}
	p["tenant"] = srv.Tenant()
	p["tsDay"] = p["ts"][:10]
	p["tsSec"] = p["ts"][:19]
	p["devUpper"] = strings.ToUpper(p["dev"])
	return p
}

func (p params) expand(s string) string {
	for k, v := range p {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

func diffCases() []diffCase {
	return []diffCase{
		// Equality, with strings, numbers, text coerced to numbers.
		{sql: "select device_name, file_name, timestamp from {P} where device_name = '{dev}'", maxCalls: 1, where: true},
		{sql: "select device_name, file_name from {P} where device_name == '{dev}' and file_name = '{fname}'", maxCalls: 1, where: true},
		{sql: "select report_id, file_name, file_size from {P} where report_id = {rid}", maxCalls: 1, where: true},
		{sql: "select * from {P} where report_id = '{rid}'", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size = {size}.0", maxCalls: 1, where: true},
		// Inequality and ranges.
		{sql: "select device_name, file_name from {P} where device_name != '{dev}'", maxCalls: 1, where: true},
		{sql: "select device_name, file_size from {P} where device_name <> '{dev}' and file_size > {size}", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size > {size}", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size >= {size}", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size < {size}", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size <= {size}", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size between {size} and {size2}", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size > '{size}'", maxCalls: 1, where: true},
		{sql: "select report_id, file_size from {P} where file_size > {size}.5 and file_size <= {size2}.5", maxCalls: 1, where: true},
		{sql: "select report_id, remote_port from {N} where remote_port = {port}", maxCalls: 1, where: true},
		{sql: "select report_id, remote_port from {N} where remote_port in ({port}, 443, 80)", maxCalls: 3, where: true},
		{sql: "select report_id, remote_port from {N} where remote_port not in ({port}, 443)", maxCalls: 1},
		// Comparisons that cannot hold make no call.
		{sql: "select report_id from {P} where file_size = 2.5", maxCalls: 0},
		{sql: "select report_id from {P} where device_name = NULL", maxCalls: 0},
		{sql: "select report_id from {P} where timestamp = '{tsDay}'", maxCalls: 0},
		// NULL tests and IS.
		{sql: "select report_id, account_upn from {P} where account_upn is null", maxCalls: 1, where: true},
		{sql: "select report_id, account_upn from {P} where account_upn is not null", maxCalls: 1, where: true},
		{sql: "select report_id, account_upn from {P} where account_upn is '{upn}'", maxCalls: 1, where: true},
		{sql: "select report_id, account_upn from {P} where account_upn is not '{upn}'", maxCalls: 1},
		// Booleans are 0/1.
		{sql: "select report_id, is_process_remote_session from {P} where is_process_remote_session = 1", maxCalls: 1, where: true},
		{sql: "select report_id, is_process_remote_session from {P} where is_process_remote_session = 0", maxCalls: 1, where: true},
		// Timestamps: the full text, its prefixes, datetime().
		{sql: "select report_id, timestamp from {P} where timestamp >= '{ts}'", maxCalls: 1, where: true},
		{sql: "select report_id, timestamp from {P} where timestamp > '{ts}'", maxCalls: 1, where: true},
		{sql: "select report_id, timestamp from {P} where timestamp < '{ts}'", maxCalls: 1, where: true},
		{sql: "select report_id, timestamp from {P} where timestamp <= '{ts}'", maxCalls: 1, where: true},
		{sql: "select report_id, timestamp from {P} where timestamp = '{ts}'", maxCalls: 1, where: true},
		{sql: "select report_id, timestamp from {P} where timestamp > '{tsDay}' and timestamp <= '{tsSec}'", maxCalls: 1, where: true},
		{sql: "select count(*) from {P} where timestamp >= datetime('{tsSec}', '-2 days') and timestamp < '{ts2}'", maxCalls: 1, where: true},
		// LIKE and GLOB (a generated set is in TestLikeGlob).
		{sql: "select report_id, process_command_line from {P} where process_command_line like '%-enc%'", maxCalls: 1, where: true, noTake: true},
		{sql: "select report_id, file_name from {P} where file_name glob '*.exe'", maxCalls: 1, where: true},
		{sql: "select report_id, file_name from {P} where file_name glob '[cp]*'", maxCalls: 1},
		// What cannot be pushed is filtered by SQLite.
		{sql: "select report_id from {P} where lower(device_name) = lower('{devUpper}')", maxCalls: 1},
		{sql: "select report_id, device_name from {P} where device_name = '{devUpper}' collate nocase", maxCalls: 1},
		{sql: "select report_id from {P} where device_name = '{dev}' or file_size > {size}", maxCalls: 1},
		{sql: "select report_id from {P} where device_name in ('{dev}', '{dev2}')", maxCalls: 2, where: true},
		{sql: "select report_id from {P} where device_name = '{dev}' or device_name = '{dev2}'", maxCalls: 2, where: true},
		// ORDER BY, LIMIT, OFFSET.
		{sql: "select report_id, timestamp from {P} order by timestamp desc, report_id limit 5", mode: ordered, maxCalls: 1, noTake: true},
		{sql: "select report_id, file_size from {P} where file_size > {size} order by file_size desc, report_id limit 4", mode: ordered, maxCalls: 1, where: true, noTake: true},
		{sql: "select report_id, device_name from {P} where device_name = '{dev}' limit 3", mode: subset,
			all: "select report_id, device_name from {P} where device_name = '{dev}'", maxCalls: 1, where: true, take: true},
		{sql: "select report_id from {P} limit 4 offset 2", mode: subset, all: "select report_id from {P}", maxCalls: 1, take: true},
		{sql: "select report_id from {P} where process_command_line like '%e%' limit 2", mode: subset,
			all: "select report_id from {P} where process_command_line like '%e%'", maxCalls: 1, noTake: true},
		{sql: "select report_id from {P} limit 0", maxCalls: 1},
		{sql: "select report_id from {P} where device_name in ('{dev}', '{dev2}') limit 3", mode: subset,
			all: "select report_id from {P} where device_name in ('{dev}', '{dev2}')", maxCalls: 2, where: true, noTake: true},
		// The connection's tenant_id is a key column the SDK itself handles.
		{sql: "select report_id, tenant_id from {P} where tenant_id = '{tenant}' limit 3", mode: subset,
			all: "select report_id, tenant_id from {P}", maxCalls: 1, take: true},
		{sql: "select report_id from {P} where tenant_id = 'another-tenant'", maxCalls: 0},
		// Aggregates.
		{sql: "select count(*) from {P}", maxCalls: 1},
		{sql: "select device_name, count(*), sum(file_size), max(timestamp), min(timestamp) from {P} group by device_name", maxCalls: 1},
		{sql: "select action_type, count(distinct device_id) from {N} group by 1 having count(*) > 1", maxCalls: 1},
		{sql: "select distinct file_name from {P}", maxCalls: 1},
		{sql: "select remote_ip, count(distinct device_id) from {N} where remote_ip is not null group by remote_ip having count(distinct device_id) <= 2", maxCalls: 1, where: true},
		{sql: "select account_upn, count(*) from {S} where error_code <> 0 group by account_upn", maxCalls: 1, where: true},
		{sql: "select distinct tenant_id from {N}", maxCalls: 1},
		// Joins.
		{sql: "select c.report_id, c.file_name, p.file_name from {P} c join {P} p on p.device_id = c.device_id and p.process_id = c.initiating_process_id", maxCalls: 2},
		{sql: "select n.report_id, n.remote_ip, i.os_platform from {N} n join {I} i on i.device_id = n.device_id", maxCalls: 3},
		{sql: "select n.report_id, i.device_name from {N} n join {I} i on i.device_id = n.device_id where i.os_platform = '{os}'", maxCalls: 3},
		{sql: "select count(*) from {N} where device_id in (select device_id from {I} where os_platform = '{os}')", maxCalls: 3},
		{sql: "select e.network_message_id, e.subject, u.url from {E} e join {U} u on u.network_message_id = e.network_message_id where e.threat_types like '%Phish%'", maxCalls: 3},
		{sql: "select v.cve_id, i.device_name from {V} v join (select distinct device_id, device_name from {I}) i on i.device_id = v.device_id where v.vulnerability_severity_level = 'Critical'", maxCalls: 3},
	}
}

func TestDifferential(t *testing.T) {
	ctx := context.Background()
	p := pickParams(ctx, t)
	cases := diffCases()
	if len(cases) < 40 {
		t.Fatalf("only %d statements", len(cases))
	}
	nonEmpty := 0
	for _, c := range cases {
		q := p.expand(c.sql)
		t.Run(q, func(t *testing.T) {
			got, calls, err := bridgeQuery(ctx, q)
			if err != nil {
				t.Fatalf("bridge: %v", err)
			}
			want, err := nativeQuery(ctx, q)
			if err != nil {
				t.Fatalf("native: %v", err)
			}
			if len(want) > 0 {
				nonEmpty++
			}
			t.Logf("%d rows, %d calls", len(want), len(calls))
			switch c.mode {
			case multiset:
				if g, w := got.sorted(), want.sorted(); !equalLines(g, w) {
					t.Errorf("rows differ: bridge %d, native %d\n%s", len(g), len(w), diff(g, w))
				}
			case ordered:
				if g, w := got.lines(), want.lines(); !equalLines(g, w) {
					t.Errorf("rows differ:\n bridge %v\n native %v", g, w)
				}
			case subset:
				all, err := nativeQuery(ctx, p.expand(c.all))
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Errorf("bridge returned %d rows, native %d", len(got), len(want))
				}
				pool := map[string]int{}
				for _, l := range all.lines() {
					pool[l]++
				}
				for _, l := range got.lines() {
					if pool[l] == 0 {
						t.Errorf("row %s is not a matching row", l)
					}
					pool[l]--
				}
			}
			checkCalls(t, c, calls)
		})
	}
	if nonEmpty < len(cases)*2/3 {
		t.Errorf("only %d of %d statements return rows; the data set no longer exercises them", nonEmpty, len(cases))
	}
}

func checkCalls(t *testing.T, c diffCase, calls []simCall) {
	t.Helper()
	if len(calls) > c.maxCalls {
		t.Errorf("%d hunting calls, want at most %d", len(calls), c.maxCalls)
		for _, k := range calls {
			t.Logf("  %s", k.Query)
		}
	}
	took := false
	for _, k := range calls {
		if c.where && !strings.Contains(k.Query, "| where ") {
			t.Errorf("condition not pushed: %s", k.Query)
		}
		if n, ok := takeOf(k.Query); ok && !pageTake(n) {
			took = true
		}
	}
	if c.take && !took {
		t.Errorf("LIMIT not pushed: %v", queries(calls))
	}
	if c.noTake && took {
		t.Errorf("LIMIT pushed although SQLite may drop rows: %v", queries(calls))
	}
}

// takeOf returns the row count of a query's take operator.
func takeOf(q string) (int64, bool) {
	_, rest, ok := strings.Cut(q, "| take ")
	if !ok {
		return 0, false
	}
	digits, _, _ := strings.Cut(rest, " ")
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// pageTake reports whether a take of n rows is one of the hunting client's
// page sizes, which it sends when no LIMIT was pushed.
func pageTake(n int64) bool {
	for p := int64(hunting.DefaultFirstPage); p <= hunting.DefaultRowCap; p *= 10 {
		if n == p {
			return true
		}
	}
	return false
}
