package sqlvtab

import (
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"modernc.org/sqlite/vtab"
)

func TestGlobToLike(t *testing.T) {
	for glob, want := range map[string]string{
		"x*":     "x%",
		"a?c":    "a_c",
		"*_*":    `%\_%`,
		"100%":   `100\%`,
		`C:\*`:   `C:\\%`,
		"*.exe":  "%.exe",
		"é?É*":   "é_É%",
		"[ab]*":  "",
		"plain]": "plain]",
	} {
		got, ok := globToLike(glob)
		if want == "" {
			if ok {
				t.Errorf("%q: pushed as %q, want not pushed", glob, got)
			}
			continue
		}
		if !ok || got != want {
			t.Errorf("%q: got %q %v, want %q", glob, got, ok, want)
		}
	}
	if got := likeToILike(`x\%_`); got != `x\\%_` {
		t.Errorf("likeToILike: %q", got)
	}
}

func TestParseTimePrefix(t *testing.T) {
	base := time.Date(2026, 11, 20, 12, 34, 56, 789012000, time.UTC)
	for s, want := range map[string]time.Time{
		"2026-11-20":                 time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		"2026-11-20 12":              time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC),
		"2026-11-20 12:34:56":        base.Truncate(time.Second),
		"2026-11-20 12:34:56.7":      time.Date(2026, 11, 20, 12, 34, 56, 700000000, time.UTC),
		"2026-11-20 12:34:56.789012": base,
	} {
		got, full, ok := parseTimePrefix(s)
		if !ok || !got.Equal(want) || full != (len(s) == 26) {
			t.Errorf("%q: %v %v %v", s, got, full, ok)
		}
	}
	for _, s := range []string{"2026-11-20T12:34:56Z", "2026-11-2", "2026-13-01", "2026-11-20 12:3", "20261120", "2026-11-20 12:34:56.7890123"} {
		if _, _, ok := parseTimePrefix(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if FormatTime(base.Add(400)) != "2026-11-20 12:34:56.789012" || FormatTime(base.Add(600)) != "2026-11-20 12:34:56.789013" {
		t.Errorf("FormatTime does not round to microseconds as Postgres does: %s, %s", FormatTime(base.Add(400)), FormatTime(base.Add(600)))
	}
}

// testDef is a table with one key column of each kind.
func testDef() *tableDef {
	all := []string{"=", "<>", "<", "<=", ">", ">=", "~~", "~~*", "is null", "is not null"}
	kc := func(n string, ops ...string) *proto.KeyColumn {
		return &proto.KeyColumn{Name: n, Operators: ops, Require: "optional"}
	}
	return newTableDef("t", &proto.TableSchema{
		Columns: []*proto.ColumnDefinition{
			{Name: "s", Type: proto.ColumnType_STRING},
			{Name: "i", Type: proto.ColumnType_INT},
			{Name: "f", Type: proto.ColumnType_DOUBLE},
			{Name: "b", Type: proto.ColumnType_BOOL},
			{Name: "ts", Type: proto.ColumnType_TIMESTAMP},
			{Name: "j", Type: proto.ColumnType_JSON},
			{Name: "plain", Type: proto.ColumnType_STRING},
			{Name: "sp_connection_name", Type: proto.ColumnType_STRING},
		},
		ListCallKeyColumnList: []*proto.KeyColumn{
			kc("s", all...), kc("i", all...), kc("f", all...), kc("b", "=", "<>"), kc("ts", all...), kc("j", "is null", "is not null"),
		},
	}, nil)
}

// quals runs one constraint through buildQuals and renders the result.
func quals(t *testing.T, col int, op vtab.ConstraintOp, v vtab.Value) (*qualSet, string) {
	t.Helper()
	d := testDef()
	p := &plan{Terms: []term{{Col: col, Op: op}}, Limit: -1, Offset: -1}
	q := buildQuals(d, p, []vtab.Value{v}, nil)
	return q, q.String()
}

func TestCoercion(t *testing.T) {
	const s, i, f, b, ts, j = 0, 1, 2, 3, 4, 5
	cases := []struct {
		col   int
		op    vtab.ConstraintOp
		v     vtab.Value
		want  string // "" = nothing pushed
		exact bool
		none  bool
	}{
		{s, vtab.OpEQ, "x", "[s\x00=\x00x]", true, false},
		{s, vtab.OpEQ, int64(5), "[s\x00=\x005]", true, false},
		{s, vtab.OpEQ, 5.0, "", false, false}, // SQLite renders reals its own way
		{s, vtab.OpEQ, []byte("x"), "", false, false},
		{s, vtab.OpNE, "x", "[s\x00<>\x00x]", false, false},
		{s, vtab.OpEQ, nil, "", true, true},
		{s, vtab.OpIS, nil, "[s\x00is null\x00]", true, false},
		{s, vtab.OpISNOT, "x", "", false, false}, // <> would drop NULLs
		{s, vtab.OpISNOT, nil, "[s\x00is not null\x00]", true, false},
		{s, vtab.OpLIKE, `a\%`, "[s\x00~~*\x00a\\\\%]", false, false},
		{s, vtab.OpGLOB, "a*", "[s\x00~~\x00a%]", false, false},
		{s, vtab.OpGLOB, "[a]*", "", false, false},
		{i, vtab.OpGT, "5", "[i\x00>\x00i5]", true, false},
		{i, vtab.OpGT, "abc", "", false, false}, // every number is below every text
		{i, vtab.OpEQ, 7.0, "[i\x00=\x00i7]", true, false},
		{i, vtab.OpEQ, 2.5, "", true, true},
		{i, vtab.OpGT, 2.5, "[i\x00>=\x00i3]", true, false},
		{i, vtab.OpLE, -2.5, "[i\x00<=\x00i-3]", true, false},
		{i, vtab.OpGT, 1e300, "", false, false},
		{f, vtab.OpGE, int64(3), "[f\x00>=\x00f3]", true, false},
		{f, vtab.OpLT, "2.5", "[f\x00<\x00f2.5]", true, false},
		{b, vtab.OpEQ, int64(1), "[b\x00=\x00true]", true, false},
		{b, vtab.OpEQ, int64(2), "", false, false},
		{ts, vtab.OpGE, "2026-11-20", "[ts\x00>=\x002026-11-20T00:00:00Z]", true, false},
		{ts, vtab.OpGT, "2026-11-20 12:00:00", "[ts\x00>=\x002026-11-20T12:00:00Z]", true, false},
		{ts, vtab.OpGT, "2026-11-20 12:00:00.000001", "[ts\x00>=\x002026-11-20T12:00:00.000002Z]", true, false},
		{ts, vtab.OpLE, "2026-11-20 12:00:00.000001", "[ts\x00<\x002026-11-20T12:00:00.000002Z]", true, false},
		{ts, vtab.OpLE, "2026-11-20", "[ts\x00<\x002026-11-20T00:00:00Z]", true, false},
		{ts, vtab.OpEQ, "2026-11-20 12:00:00.000001", "[ts\x00<\x002026-11-20T12:00:00.000002Z ts\x00>=\x002026-11-20T12:00:00.000001Z]", true, false},
		{ts, vtab.OpEQ, "2026-11-20", "", true, true},
		{ts, vtab.OpGT, "2026-11-20T12:00:00Z", "", false, false},
		{ts, vtab.OpGT, int64(5), "", false, false},
	}
	for _, c := range cases {
		q, got := quals(t, c.col, c.op, c.v)
		if c.want == "" {
			c.want = "[]"
		}
		if got != c.want || q.exact != c.exact || q.none != c.none {
			t.Errorf("col %d op %d %#v: got %q exact=%v none=%v, want %q exact=%v none=%v", c.col, c.op, c.v, got, q.exact, q.none, c.want, c.exact, c.none)
		}
	}
}

func TestBestIndex(t *testing.T) {
	d := testDef()
	c := func(col int, op vtab.ConstraintOp, usable bool) vtab.Constraint {
		return vtab.Constraint{Column: col, Op: op, Usable: usable, ArgIndex: -1}
	}
	full := &vtab.IndexInfo{}
	bestIndex(d, full, false)
	cases := []struct {
		name    string
		cons    []vtab.Constraint
		orderBy []vtab.OrderBy
		nocase  bool
		args    []int // ArgIndex per constraint
		limit   bool
	}{
		{"exact = takes LIMIT and OFFSET", []vtab.Constraint{c(0, vtab.OpEQ, true), c(-1, vtab.OpOFFSET, true), c(-1, vtab.OpLIMIT, true)}, nil, false, []int{0, 2, 1}, true},
		{"LIKE blocks LIMIT", []vtab.Constraint{c(0, vtab.OpLIKE, true), c(-1, vtab.OpLIMIT, true)}, nil, false, []int{0, -1}, false},
		{"!= blocks LIMIT", []vtab.Constraint{c(1, vtab.OpNE, true), c(-1, vtab.OpLIMIT, true)}, nil, false, []int{0, -1}, false},
		{"ORDER BY blocks LIMIT", []vtab.Constraint{c(1, vtab.OpGT, true), c(-1, vtab.OpLIMIT, true)}, []vtab.OrderBy{{Column: 1}}, false, []int{0, -1}, false},
		{"non-key column blocks LIMIT", []vtab.Constraint{c(6, vtab.OpEQ, true), c(1, vtab.OpEQ, true), c(-1, vtab.OpLIMIT, true)}, nil, false, []int{-1, 0, -1}, false},
		{"unusable is skipped", []vtab.Constraint{c(1, vtab.OpEQ, false), c(2, vtab.OpLT, true)}, nil, false, []int{-1, 0}, false},
		{"JSON only null tests", []vtab.Constraint{c(5, vtab.OpEQ, true), c(5, vtab.OpISNOTNULL, true)}, nil, false, []int{-1, 0}, false},
		{"COLLATE stops string push-down", []vtab.Constraint{c(0, vtab.OpEQ, true), c(1, vtab.OpEQ, true)}, nil, true, []int{-1, 0}, false},
		{"MATCH and REGEXP are not pushed", []vtab.Constraint{c(0, vtab.OpMATCH, true), c(0, vtab.OpREGEXP, true)}, nil, false, []int{-1, -1}, false},
	}
	for _, tc := range cases {
		info := &vtab.IndexInfo{Constraints: tc.cons, OrderBy: tc.orderBy}
		p := bestIndex(d, info, tc.nocase)
		for i, con := range info.Constraints {
			if con.ArgIndex != tc.args[i] {
				t.Errorf("%s: constraint %d ArgIndex %d, want %d", tc.name, i, con.ArgIndex, tc.args[i])
			}
			if con.Omit {
				t.Errorf("%s: Omit set", tc.name)
			}
		}
		if info.OrderByConsumed {
			t.Errorf("%s: OrderByConsumed set", tc.name)
		}
		if (p.Limit >= 0) != tc.limit {
			t.Errorf("%s: limit taken = %v", tc.name, p.Limit >= 0)
		}
		if info.EstimatedCost > full.EstimatedCost || info.EstimatedCost < full.EstimatedCost/2 {
			t.Errorf("%s: cost %v outside [%v, %v]", tc.name, info.EstimatedCost, full.EstimatedCost/2, full.EstimatedCost)
		}
		back, err := decodePlan(info.IdxStr)
		if err != nil || len(back.Terms) != len(p.Terms) || back.Limit != p.Limit {
			t.Errorf("%s: IdxStr does not round-trip: %v %+v", tc.name, err, back)
		}
	}
}

func TestHiddenColumns(t *testing.T) {
	d := newTableDef("q", &proto.TableSchema{
		Columns: []*proto.ColumnDefinition{
			{Name: "timespan", Type: proto.ColumnType_STRING},
			{Name: "data", Type: proto.ColumnType_JSON},
			{Name: "query", Type: proto.ColumnType_STRING},
			{Name: "tenant_id", Type: proto.ColumnType_STRING},
			{Name: "_ctx", Type: proto.ColumnType_JSON},
		},
		ListCallKeyColumnList: []*proto.KeyColumn{
			{Name: "query", Operators: []string{"="}, Require: "required"},
			{Name: "timespan", Operators: []string{"="}, Require: "optional"},
			{Name: "tenant_id", Operators: []string{"=", "<>", "~~"}, Require: "optional"},
		},
	}, nil)
	want := `CREATE TABLE x("data" TEXT, "tenant_id" TEXT, "query" TEXT HIDDEN, "timespan" TEXT HIDDEN, "_ctx" TEXT HIDDEN)`
	if got := d.declaration(); got != want {
		t.Errorf("declaration\n got %s\nwant %s", got, want)
	}
	info := &vtab.IndexInfo{}
	bestIndex(d, info, false)
	if info.EstimatedCost < missingRequiredCost {
		t.Errorf("a plan without the required column costs %v", info.EstimatedCost)
	}
}
