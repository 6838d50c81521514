package engine

import (
	"slices"
	"testing"
)

func unionCatalog() memCatalog {
	a := memTable("A", []Column{{"Id", TLong}, {"Name", TString}, {"X", TLong}}, [][]Value{
		{int64(1), "a1", int64(10)}, {int64(2), "a2", nil},
	})
	b := memTable("B", []Column{{"Id", TLong}, {"X", TString}, {"Name", TString}, {"Y", TBool}}, [][]Value{
		{int64(3), "x", "b1", true},
	})
	return memCatalog{"A": a, "B": b}
}

func TestUnion(t *testing.T) {
	cat := unionCatalog()
	res, err := Run("union A, B", cat, fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	want := []Column{{"Id", TLong}, {"Name", TString}, {"X_long", TLong}, {"X_string", TString}, {"Y", TBool}}
	if !slices.Equal(res.Columns, want) {
		t.Fatalf("outer union columns %v, want %v", res.Columns, want)
	}
	rows := [][]Value{
		{int64(1), "a1", int64(10), "", nil},
		{int64(2), "a2", nil, "", nil},
		{int64(3), "b1", nil, "x", true},
	}
	for i, r := range rows {
		if !slices.Equal(res.Rows[i], r) {
			t.Errorf("row %d = %v, want %v (strings fill with \"\", others with null)", i, res.Rows[i], r)
		}
	}
	res, err = Run("union kind=inner withsource=Src A, B | sort by Id asc", cat, fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Column{{"Src", TString}, {"Id", TLong}, {"Name", TString}}; !slices.Equal(res.Columns, want) {
		t.Fatalf("inner union columns %v, want %v", res.Columns, want)
	}
	if res.Rows[0][0] != "A" || res.Rows[2][0] != "B" {
		t.Errorf("withsource values %v", res.Rows)
	}
	res, err = Run("A | where Id == 2 | union B | count", cat, fixedClock)
	if err != nil || res.Rows[0][0] != int64(2) {
		t.Errorf("piped union: %v %v", res, err)
	}
	if _, err := Run("union A, Missing", cat, fixedClock); err == nil || err.(*Error).Kind != SemanticError {
		t.Errorf("unknown union leg: %v", err)
	}
	res, err = Run("union A, B | take 1", cat, fixedClock)
	if err != nil || len(res.Rows) != 1 {
		t.Errorf("take after union: %v %v", res, err)
	}
}
