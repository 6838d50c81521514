package engine

import (
	"slices"
	"testing"
)

func TestArgMaxStar(t *testing.T) {
	res := run(t, "T | summarize arg_max(When, *) by Flag")
	want := []Column{
		{"Flag", TBool}, {"When", TDateTime}, {"Id", TLong}, {"Name", TString}, {"Score", TLong},
		{"Ratio", TReal}, {"Blob", TDynamic}, {"Uid", TGUID}, {"Small", TInt}, {"Span", TTimespan},
	}
	if !slices.Equal(res.Columns, want) {
		t.Fatalf("columns %v\nwant %v", res.Columns, want)
	}
	got := map[Value]Value{} // Flag → Id
	for _, r := range res.Rows {
		got[r[0]] = r[2]
	}
	// true: rows 1 (27th) and 4 (20th); false: rows 2 (26th) and 5 (27th);
	// null: row 3 alone, whose When is null: a group of nulls still has a row.
	if got[true] != int64(1) || got[false] != int64(5) || got[nil] != int64(3) || len(got) != 3 {
		t.Errorf("latest rows by Flag %v", got)
	}
}

func TestArgMaxNullsLose(t *testing.T) {
	// Flag=false holds row 2 (Score null, read first) and row 5 (Score 20).
	res := run(t, "T | summarize arg_max(Score, Id, Name) by Flag")
	want := []Column{{"Flag", TBool}, {"Score", TLong}, {"Id", TLong}, {"Name", TString}}
	if !slices.Equal(res.Columns, want) {
		t.Fatalf("columns %v", res.Columns)
	}
	for _, r := range res.Rows {
		if r[0] == false && (r[1] != int64(20) || r[2] != int64(5)) {
			t.Errorf("false group %v: a null Score must lose", r)
		}
		if r[0] == true && (r[1] != int64(10) || r[2] != int64(1)) {
			t.Errorf("true group %v", r)
		}
	}
}

func TestArgMaxTiesAndNames(t *testing.T) {
	res := run(t, "T | extend K = 1 | summarize Latest = arg_max(K, *)")
	if len(res.Rows) != 1 || res.Columns[0].Name != "Latest" || res.Columns[1].Name != "Id" {
		t.Fatalf("tie: %v %v", res.Columns, res.Rows)
	}
	if id := res.Rows[0][1].(int64); id < 1 || id > 5 {
		t.Errorf("tie returned Id %d, not one of the rows", id)
	}
	if res := run(t, "Empty | summarize arg_max(When, *) by Flag"); len(res.Rows) != 0 {
		t.Errorf("empty input: %v", res.Rows)
	}
	for _, q := range []string{
		"T | summarize arg_max(*, Id)", "T | summarize arg_max(When)", "T | summarize arg_max(Blob, *)",
		"T | project x = strlen(*)",
	} {
		if k, _ := errKind(q); k != SemanticError && k != SyntaxError {
			t.Errorf("%q accepted", q)
		}
	}
}
