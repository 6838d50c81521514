package engine

import (
	"errors"
	"testing"
	"time"
)

// memCatalog is a small in-memory catalog for tests.
type memCatalog map[string]*Table

func (c memCatalog) Table(name string) (*Table, bool) {
	t, ok := c[name]
	return t, ok
}

// memTable builds a table from literal rows.
func memTable(name string, cols []Column, rows [][]Value) *Table {
	return &Table{Name: name, Columns: cols, Scan: func(yield func([]Value) bool) {
		buf := make([]Value, len(cols))
		for _, r := range rows {
			copy(buf, r)
			if !yield(buf) {
				return
			}
		}
	}}
}

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// testCatalog has one table T with a row per interesting value shape.
//
//	Id  Name                     Score Ratio   When                    Flag  Blob                     Uid
//	1   "Alpha"                  10    1.5     2026-11-27T10:00:00Z    true  {"k":"v","n":3,"a":[1,2]} 11111111-...
//	2   "beta gamma"             null  NaN     2026-11-26T12:00:00Z    false Dynamic{} (JSON null)     null
//	3   ""                       30    null    null                    null  ["x","y"]                 22222222-...
//	4   "KustoExplorerQueryRun"  -5    -2.0    2026-11-20T00:00:00Z    true  "str"                    null
//	5   "Éclair café"            20    0.25    2026-11-27T11:59:59Z    false {"k":"w"}                 null
func testCatalog() memCatalog {
	cols := []Column{
		{"Id", TLong}, {"Name", TString}, {"Score", TLong}, {"Ratio", TReal}, {"When", TDateTime},
		{"Flag", TBool}, {"Blob", TDynamic}, {"Uid", TGUID}, {"Small", TInt}, {"Span", TTimespan},
	}
	nan := func() float64 { var z float64; return z / z }()
	rows := [][]Value{
		{int64(1), "Alpha", int64(10), 1.5, ts("2026-11-27T10:00:00Z"), true, mustJSON(`{"k":"v","n":3,"a":[1,2]}`), GUID("11111111-1111-1111-1111-111111111111"), int64(7), time.Hour},
		{int64(2), "beta gamma", nil, nan, ts("2026-11-26T12:00:00Z"), false, Dynamic{}, nil, nil, nil},
		{int64(3), "", int64(30), nil, nil, nil, mustJSON(`["x","y"]`), GUID("22222222-2222-2222-2222-222222222222"), int64(-3), 90 * time.Minute},
		{int64(4), "KustoExplorerQueryRun", int64(-5), -2.0, ts("2026-11-20T00:00:00Z"), true, mustJSON(`"str"`), nil, int64(2), time.Minute},
		{int64(5), "Éclair café", int64(20), 0.25, ts("2026-11-27T11:59:59Z"), false, mustJSON(`{"k":"w"}`), nil, int64(5), nil},
	}
	return memCatalog{"T": memTable("T", cols, rows), "Empty": memTable("Empty", cols, nil)}
}

func mustJSON(s string) Value {
	v := parseJSON(s)
	if v == nil {
		panic("null json " + s)
	}
	return v
}

// run evaluates src against the test catalog and fails the test on error.
func run(t *testing.T, src string) *Result {
	t.Helper()
	res, err := Run(src, testCatalog(), fixedClock)
	if err != nil {
		t.Fatalf("Run(%q): %v", src, err)
	}
	return res
}

// ids runs a query over T and returns the Id column of the result.
func ids(t *testing.T, src string) []int64 {
	t.Helper()
	res := run(t, src)
	col := -1
	for i, c := range res.Columns {
		if c.Name == "Id" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%q: no Id column in %v", src, res.Columns)
	}
	out := []int64{}
	for _, r := range res.Rows {
		out = append(out, r[col].(int64))
	}
	return out
}

// scalar evaluates a single expression with print-like semantics over one row.
func scalar(t *testing.T, e string) Value {
	t.Helper()
	res := run(t, "T | where Id == 1 | project v = "+e)
	if len(res.Rows) != 1 {
		t.Fatalf("%q: %d rows", e, len(res.Rows))
	}
	return res.Rows[0][0]
}

// errKind returns the kind of error Run reports for src, or 0 for none.
func errKind(src string) (ErrorKind, string) {
	_, err := Run(src, testCatalog(), fixedClock)
	if err == nil {
		return 0, ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return -1, err.Error()
	}
	return e.Kind, e.Message
}
