package e2e

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// TestPushdown runs generated qual sets against three tables, each with no
// limit, with ORDER BY timestamp DESC LIMIT 5, and with LIMIT 7 alone, and
// compares the plugin's rows with what Postgres would return from the
// simulator's full data. Every scan must cost exactly one API call (none
// when a condition can never hold) and project only the needed columns.
func TestPushdown(t *testing.T) {
	for _, name := range []string{"DeviceProcessEvents", "DeviceInfo", "EmailEvents"} {
		t.Run(name, func(t *testing.T) {
			def := schema.Lookup(name)
			sets := qualSets(t, def)
			if len(sets) < 30 {
				t.Fatalf("only %d qual sets generated for %s", len(sets), name)
			}
			for i, qs := range sets {
				for _, v := range variants(def) {
					s := Scan{Table: def.SQLName(), Connections: []string{conn}, Quals: qs, Limit: v.limit, Sort: v.sort}
					s.Columns = scanColumns(def, qs)
					t.Run(fmt.Sprintf("%d/%s/%s", i, describe(qs), v.name), func(t *testing.T) {
						checkScan(t, def, s)
					})
				}
			}
		})
	}
}

type variant struct {
	name  string
	limit int64
	sort  []*proto.SortColumn
}

func variants(def *schema.Table) []variant {
	ts := schema.SnakeCase(def.TimeColumn)
	return []variant{
		{name: "all", limit: -1},
		{name: "desc-limit-5", limit: 5, sort: []*proto.SortColumn{{Column: ts, Order: proto.SortOrder_Desc}}},
		{name: "asc-limit-3", limit: 3, sort: []*proto.SortColumn{{Column: ts, Order: proto.SortOrder_Asc}}},
		{name: "limit-7", limit: 7},
	}
}

// checkScan runs s and compares it with the reference rows.
func checkScan(t *testing.T, def *schema.Table, s Scan) {
	t.Helper()
	before := len(srv.Calls())
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	got, err := plug.Execute(ctx, s)
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	calls := srv.Calls()[before:]
	timespan := ""
	if len(calls) > 0 {
		timespan = calls[0].Timespan
	}
	full := s
	full.Limit, full.Sort = -1, nil
	all := expectWindowed(t, def, full, timespan)
	want := expectWindowed(t, def, s, timespan)

	switch {
	case s.Limit < 0:
		assertSameRows(t, got, want)
	case len(s.Sort) > 0:
		if len(got) != len(want) {
			t.Fatalf("got %d rows, want %d", len(got), len(want))
		}
		col := s.Sort[0].Column
		for i := range got {
			if compareNullsLast(got[i][col], want[i][col]) != 0 {
				t.Fatalf("row %d: %s = %v, want %v", i, col, got[i][col], want[i][col])
			}
		}
		assertSubset(t, got, all)
	default:
		if len(got) != len(want) {
			t.Fatalf("got %d rows, want %d (limit %d)", len(got), len(want), s.Limit)
		}
		assertSubset(t, got, all)
	}

	never := false
	for _, q := range s.Quals {
		if _, isList := q.Value.([]any); !isList && q.Value == nil && q.Op != "is null" && q.Op != "is not null" {
			never = true
		}
	}
	if never {
		if len(calls) != 0 {
			t.Fatalf("a condition on NULL must not call Defender; made %d calls", len(calls))
		}
		return
	}
	limit, err := plug.fdwLimit(s)
	if err != nil {
		t.Fatal(err)
	}
	// With a pushed LIMIT, one call that takes it. Without one, pages of
	// 1,000, 10,000, … rows, as many as the rows Postgres read need; it
	// reads everything unless the query has a LIMIT.
	read := int64(len(all))
	if s.Limit >= 0 {
		read = min(read, s.Limit)
	}
	minCalls, maxCalls := 1, 1
	if limit < 0 {
		maxCalls = pagesFor(read)
	}
	if beforeFloor(def, s) {
		// An upper bound older than Defender's default floor, with no
		// lower bound, matches nothing and costs nothing.
		minCalls, maxCalls = 0, 0
	}
	if len(calls) < minCalls || len(calls) > maxCalls {
		t.Fatalf("made %d API calls, want %d to %d: %v", len(calls), minCalls, maxCalls, callQueries(calls))
	}
	if len(calls) == 0 {
		return
	}
	for _, c := range calls {
		checkProjection(t, def, s, c.Query)
	}
	wantTake := fmt.Sprintf("take %d", hunting.DefaultFirstPage)
	if limit >= 0 {
		wantTake = fmt.Sprintf("take %d", limit)
	}
	if !strings.Contains(calls[0].Query, wantTake) {
		t.Errorf("first call lacks %q: %s", wantTake, calls[0].Query)
	}
}

// beforeFloor reports whether s bounds the time column only from above,
// below Defender's default floor of 30 days before now.
func beforeFloor(def *schema.Table, s Scan) bool {
	ts := schema.SnakeCase(def.TimeColumn)
	floor := time.Now().Add(-30 * 24 * time.Hour)
	upperBelow := false
	for _, q := range s.Quals {
		v, ok := q.Value.(time.Time)
		if q.Column != ts || !ok {
			continue
		}
		switch q.Op {
		case ">", ">=", "=":
			return false
		case "<", "<=":
			upperBelow = upperBelow || v.Before(floor.Add(-time.Minute))
		}
	}
	return upperBelow
}

// pagesFor is the most calls that reading n rows may cost when no LIMIT
// was pushed: pages of 1,000, 10,000 and then 100,000 rows, each of which
// re-reads the previous page's last group of equal times (at most a few
// rows in the simulator's data, so one row less is assumed), and one more
// call when the rows end exactly on a page boundary.
func pagesFor(n int64) int {
	calls, page := 1, int64(hunting.DefaultFirstPage)
	for got := page - 1; got < n; got += page - 1 {
		calls++
		page = min(page*10, hunting.DefaultRowCap)
	}
	return calls + 1
}

var projectRE = regexp.MustCompile(`\|\s*project\s+(.*)$`)
var identRE = regexp.MustCompile(`\['([^']+)'\]`)

// checkProjection asserts the query projects exactly the columns the scan
// needs plus the time column.
func checkProjection(t *testing.T, def *schema.Table, s Scan, kql string) {
	t.Helper()
	m := projectRE.FindStringSubmatch(kql)
	if m == nil {
		t.Fatalf("no project in %s", kql)
	}
	var got []string
	for _, id := range identRE.FindAllStringSubmatch(m[1], -1) {
		got = append(got, id[1])
	}
	need := map[string]bool{def.TimeColumn: true}
	for _, c := range s.Columns {
		for _, dc := range def.Columns {
			if dc.SQLName() == c {
				need[dc.Name] = true
			}
		}
	}
	var want []string
	for n := range need {
		want = append(want, n)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("projected %v, want %v", got, want)
	}
}

func callQueries(calls []simCall) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Query)
	}
	return out
}

// expectWindowed is Expect with the Timespan the plugin sent applied, as
// the simulator applies it. The window itself is checked: without a lower
// bound on the time column it must start 30 days before now, whatever the
// upper bound.
func expectWindowed(t *testing.T, def *schema.Table, s Scan, timespan string) []Row {
	t.Helper()
	tbl, ok := srv.Data().Table(def.Name)
	if !ok {
		t.Fatalf("simulator has no table %s", def.Name)
	}
	w := s
	w.Quals = append([]Qual(nil), s.Quals...)
	if def.TimeColumn != "" {
		ts := schema.SnakeCase(def.TimeColumn)
		var lower *time.Time
		for _, q := range s.Quals {
			v, ok := q.Value.(time.Time)
			if q.Column != ts || !ok {
				continue
			}
			switch q.Op {
			case ">", ">=", "=":
				if lower == nil || v.After(*lower) {
					lower = &v
				}
			}
		}
		inList := false
		for _, q := range s.Quals {
			if list, ok := q.Value.([]any); ok && q.Column == ts && q.Op == "=" && len(list) > 0 {
				inList = true // an IN list bounds the window too
			}
		}
		start, end := parseTimespan(t, timespan)
		if lower == nil && !inList {
			// Defender's default floor, whatever the upper bound.
			ref := time.Now()
			if d := start.Sub(ref.Add(-30 * 24 * time.Hour)); d < -2*time.Minute || d > 2*time.Minute {
				t.Fatalf("Timespan %q does not start 30 days before now (%v)", timespan, ref)
			}
		}
		w.Quals = append(w.Quals, Qual{Column: ts, Op: ">=", Value: start.Truncate(time.Microsecond)})
		w.Quals = append(w.Quals, Qual{Column: ts, Op: "<=", Value: end})
	}
	rows, err := Expect(def, tbl, w, srv.Tenant())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// parseTimespan reads the Timespan forms the plugin sends: "", "start",
// "start/end" and "PnD/end".
func parseTimespan(t *testing.T, ts string) (start, end time.Time) {
	t.Helper()
	end = time.Now()
	if ts == "" {
		return end.Add(-30 * 24 * time.Hour), end
	}
	parts := strings.SplitN(ts, "/", 2)
	var err error
	if len(parts) == 2 {
		if end, err = time.Parse(time.RFC3339Nano, parts[1]); err != nil {
			t.Fatalf("Timespan %q: %v", ts, err)
		}
	}
	if strings.HasPrefix(parts[0], "P") && strings.HasSuffix(parts[0], "D") {
		var days int
		if _, err := fmt.Sscanf(parts[0], "P%dD", &days); err != nil {
			t.Fatalf("Timespan %q: %v", ts, err)
		}
		return end.Add(-time.Duration(days) * 24 * time.Hour), end
	}
	if start, err = time.Parse(time.RFC3339Nano, parts[0]); err != nil {
		t.Fatalf("Timespan %q: %v", ts, err)
	}
	return start, end
}

func rowKey(r Row) string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%T:%v;", k, r[k], r[k])
	}
	return b.String()
}

func assertSameRows(t *testing.T, got, want []Row) {
	t.Helper()
	g, w := keys(got), keys(want)
	if len(g) != len(w) {
		t.Fatalf("got %d rows, want %d\nfirst missing: %v", len(g), len(w), firstDiff(w, g))
	}
	for i := range g {
		if g[i] != w[i] {
			t.Fatalf("rows differ:\n got  %s\n want %s", g[i], w[i])
		}
	}
}

func assertSubset(t *testing.T, got, all []Row) {
	t.Helper()
	have := map[string]int{}
	for _, k := range keys(all) {
		have[k]++
	}
	for _, k := range keys(got) {
		if have[k] == 0 {
			t.Fatalf("row not in the expected result (or returned twice): %s", k)
		}
		have[k]--
	}
}

func keys(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = rowKey(r)
	}
	sort.Strings(out)
	return out
}

func firstDiff(a, b []string) string {
	in := map[string]int{}
	for _, k := range b {
		in[k]++
	}
	for _, k := range a {
		if in[k] == 0 {
			return k
		}
		in[k]--
	}
	return "(none)"
}
