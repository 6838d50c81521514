package kql_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kustocheck"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// These tests run the translator's output through the simulator's KQL
// evaluator, an implementation written separately, and compare the rows
// with what Postgres would return.

// catalog is an in-memory set of tables.
type catalog map[string]*engine.Table

func (c catalog) Table(name string) (*engine.Table, bool) {
	t, ok := c[name]
	return t, ok
}

// memTable builds a table over fixed rows.
func memTable(name string, cols []engine.Column, rows [][]engine.Value) *engine.Table {
	return &engine.Table{Name: name, Columns: cols, Scan: func(yield func([]engine.Value) bool) {
		for _, r := range rows {
			if !yield(r) {
				return
			}
		}
	}}
}

var fixedNow = func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }

// run evaluates src on cat, and records it for the Kusto parser check
// with cat's tables.
func run(t testing.TB, src string, cat catalog) *engine.Result {
	t.Helper()
	var tables []kustocheck.Table
	for _, tbl := range cat {
		kt := kustocheck.Table{Name: tbl.Name}
		for _, c := range tbl.Columns {
			kt.Columns = append(kt.Columns, kustocheck.Column{Name: c.Name, Type: string(c.Type)})
		}
		tables = append(tables, kt)
	}
	kql.CollectKQL(src, tables...)
	res, err := engine.Run(src, cat, fixedNow)
	if err != nil {
		t.Fatalf("simulator rejected %s: %v", src, err)
	}
	return res
}

var likeSeeds = []struct{ pattern, s string }{
	{"abc", "abc"}, {"abc", "ABC"}, {"a%", "abc"}, {"%c", "abc"}, {"%b%", "abc"},
	{"a_c", "abc"}, {"a_c", "a😀c"}, {"a_c", "a\nc"}, {"%", ""}, {"", ""}, {"%", "x"},
	{`100\%`, "100%"}, {`100\%`, "1000"}, {`a\_b`, "a_b"}, {`a\_b`, "axb"}, {`\\`, `\`},
	{`%\\%`, `a\b`}, {"_", "é"}, {"__", "😀"}, {"é%", "É"}, {"%k%", "\u212a"},
	{"%K%", "k"}, {"<a>", "<a>"}, {`%.*%`, "x.*y"}, {"[a]", "[a]"}, {"(?i)a", "(?i)a"},
	{"$^|+?{}", "$^|+?{}"}, {"\"'", "\"'"}, {"a\nb%", "a\nbc"}, {"%-&~#%", "x-&~#"},
	{"\u2028_", "\u2028x"}, {"%%_%%", "x"}, {"a%b%c", "aXbYc"}, {"a%b%c", "acb"},
	// Patterns that get a has_cs/has term prefilter, with strings where the
	// term is and is not a whole term.
	{"%.exe", "a.exe"}, {"%.exe", "a.exex"}, {"%.exe", "aexe"}, {"cmd.exe /c%", "cmd.exe /c dir"},
	{"cmd.exe /c%", "xcmd.exe /c"}, {`%\\Temp\\%`, `C:\Temp\x`}, {`%\\Temp\\%`, `C:\Temp2\x`},
	{"% -enc %", "p -enc abc"}, {"% -enc %", "p -encX abc"}, {"%/download/_%.ps1", "h/download/a.ps1"},
	{"abc_%.def", "abc-x.def"}, {"abc_%.def", "abcd.def"}, {"%_[abcd]_%", "x_[abcd]_"},
	{"%.ABC", "x.abc"}, {"%.abc", "x.ABC"}, {"%.abc_", "x.abcé"}, {"%:x1Y.%", "a:X1y.b"},
	{"%-enc_%", "-enc_"}, {"%.abc%", "x.abc_d"}, {"%.abc.%", "x.abc.d"},
}

func FuzzLike(f *testing.F) {
	for i, seed := range likeSeeds {
		f.Add(seed.pattern, seed.s, uint8(i))
	}
	ops := []kql.Op{kql.Like, kql.NotLike, kql.ILike, kql.NotILike}
	f.Fuzz(func(t *testing.T, pattern, s string, sel uint8) {
		if !pushable(s) {
			t.Skip("Kusto strings and Postgres text are valid UTF-8 without NUL")
		}
		op := ops[int(sel)%len(ops)]
		p := kql.Predicate{Column: "S", Type: schema.String, Op: op, Value: pattern}
		src, err := (kql.Query{Table: "T", Where: []kql.Predicate{p}, Project: []string{"K"}}).Render()
		_, valid := pgLike("", pattern, false)
		if !pushable(pattern) || !valid {
			if !errors.Is(err, kql.ErrNotExact) {
				t.Fatalf("pattern %q: Render error %v, want ErrNotExact", pattern, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("pattern %q: %v", pattern, err)
		}
		// Row 1 holds the fuzzed string; row 2 a string built from the
		// pattern, which matches it (up to case when sel is odd), so
		// matches are as common as misses.
		rows := []string{s, instantiate(pattern, s, sel%2 == 1)}
		cols := []engine.Column{{Name: "K", Type: engine.TLong}, {Name: "S", Type: engine.TString}}
		cat := catalog{"T": memTable("T", cols, [][]engine.Value{{int64(0), rows[0]}, {int64(1), rows[1]}})}
		got := make([]bool, 2)
		for _, r := range run(t, src, cat).Rows {
			got[r[0].(int64)] = true
		}
		for i, v := range rows {
			if want := pgTrue(p, v); got[i] != want {
				t.Fatalf("%q %s %q: simulator %v, Postgres %v\nKQL: %s", v, op, pattern, got[i], want, src)
			}
		}
	})
}

// instantiate builds a string that the LIKE pattern matches, taking the
// text for wildcards from filler; flip swaps the case of ASCII letters.
func instantiate(pattern, filler string, flip bool) string {
	fill := []rune(filler)
	take := func(n int) string {
		n = min(n, len(fill))
		out := string(fill[:n])
		fill = fill[n:]
		return out
	}
	var b strings.Builder
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '%':
			b.WriteString(take(3))
			continue
		case r == '_':
			if one := take(1); one != "" {
				b.WriteString(one)
			} else {
				b.WriteByte('x')
			}
			continue
		case r == '\\' && i+1 < len(rs):
			i++
			r = rs[i]
		}
		if flip && (r|0x20) >= 'a' && (r|0x20) <= 'z' {
			r ^= 0x20
		}
		b.WriteRune(r)
	}
	return b.String()
}

var literalSeeds = []string{
	"", "a", "it's", `say "hi"`, `C:\Windows\`, "\\\"", "a\nb", "\r\n", "\t", "\x01\x1f\x7f",
	"\u0085\u009f", "\u2028\u2029\ufeff", "é", "Über", "😀", "𝄞x", "\u00a0", "%_", "\"]|take 1//",
	"']", "\\u0041", "\\x41", "`", "```", "@\"x\"", "a\x00b", "\xff", "\xed\xa0\x80", "//c",
}

func FuzzLiteralRoundTrip(f *testing.F) {
	for _, s := range literalSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit, err := kql.Literal(s, schema.String)
		if !pushable(s) {
			if !errors.Is(err, kql.ErrNotExact) {
				t.Fatalf("Literal(%q) = %s, %v; want ErrNotExact", s, lit, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Literal(%q): %v", s, err)
		}
		cols := []engine.Column{{Name: "S", Type: engine.TString}, {Name: "N", Type: engine.TLong}}
		cat := catalog{"T": memTable("T", cols, [][]engine.Value{{s, int64(1)}})}

		eq := run(t, "['T'] | where ['S'] == "+lit+" | project ['S']", cat)
		if len(eq.Columns) != 1 || eq.Columns[0].Name != "S" {
			t.Fatalf("literal %s broke the query: columns %v", lit, eq.Columns)
		}
		if len(eq.Rows) != 1 || eq.Rows[0][0] != s {
			t.Fatalf("== %s: rows %q, want [[%q]]", lit, eq.Rows, s)
		}
		if ne := run(t, "['T'] | where ['S'] != "+lit, cat); len(ne.Rows) != 0 {
			t.Fatalf("!= %s: %d rows, want none", lit, len(ne.Rows))
		}
		// The same text as a column name must name exactly that column.
		if s == "" {
			return
		}
		named := catalog{"T": memTable("T", []engine.Column{{Name: s, Type: engine.TLong}}, [][]engine.Value{{int64(7)}})}
		res := run(t, "['T'] | where "+kql.Ident(s)+" == long(7) | project "+kql.Ident(s), named)
		if len(res.Columns) != 1 || res.Columns[0].Name != s || len(res.Rows) != 1 {
			t.Fatalf("Ident(%q) = %s: columns %v, %d rows", s, kql.Ident(s), res.Columns, len(res.Rows))
		}
	})
}

// diffTable is a small table with nulls, empties, NaN and boundaries in
// every type. Column K is the row key.
var diffCols = []engine.Column{
	{Name: "K", Type: engine.TLong},
	{Name: "S", Type: engine.TString},
	{Name: "J", Type: engine.TString},
	{Name: "L", Type: engine.TLong},
	{Name: "I", Type: engine.TInt},
	{Name: "R", Type: engine.TReal},
	{Name: "D", Type: engine.TDateTime},
	{Name: "B", Type: engine.TBool},
	{Name: "G", Type: engine.TGUID},
	{Name: "Y", Type: engine.TDynamic},
}

var (
	t0   = time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	t1   = time.Date(2024, 5, 6, 7, 8, 9, 123456700, time.UTC) // a 100ns tick
	tMin = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	tMax = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
	g1   = engine.GUID("74be27de-1e4e-49d9-b579-fe0b331d3642")
	g2   = engine.GUID("00000000-0000-0000-0000-000000000000")
	dynS = engine.Dynamic{V: "x"}
	dynE = engine.Dynamic{V: ""}
	dynA = engine.Dynamic{V: []any{}}
)

var diffRows = [][]engine.Value{
	// K, S, J, L, I, R, D, B, G, Y as in diffCols.
	{int64(1), "abc", `{"a":1}`, int64(0), int64(0), 0.0, t0, true, g1, dynS},
	{int64(2), "", "", nil, nil, nil, nil, nil, nil, nil},
	{int64(3), "ABC", "[]", int64(math.MinInt64), int64(math.MinInt32), math.NaN(), tMin, false, g2, dynA},
	{int64(4), "a%b_c", "null", int64(math.MaxInt64), int64(math.MaxInt32), math.Inf(1), tMax, true, nil, dynE},
	{int64(5), "é😀\n", `""`, int64(-1), int64(-1), math.Copysign(0, -1), t1, false, g1, dynS},
	{int64(6), `x\y"'`, `{}`, int64(1), int64(1), math.Inf(-1), t0.Add(time.Second), nil, g2, dynA},
	{int64(7), "abcd", "", int64(5), int64(5), 2.5, t0.Add(-time.Second), true, nil, nil},
	{int64(8), "Abc", "1", int64(-5), nil, -2.5, nil, false, g1, nil},
}

// diffCase is one predicate to compare, on the column at index col.
type diffCase struct {
	col int
	p   kql.Predicate
}

func diffCases() []diffCase {
	var cases []diffCase
	add := func(col int, ty schema.Type, json bool, ops []kql.Op, values ...any) {
		for _, op := range ops {
			for _, v := range values {
				cases = append(cases, diffCase{col, kql.Predicate{Column: diffCols[col].Name, Type: ty, JSON: json, Op: op, Value: v}})
			}
		}
	}
	cmp := []kql.Op{kql.Eq, kql.Ne, kql.Lt, kql.Le, kql.Gt, kql.Ge}
	eqs := []kql.Op{kql.Eq, kql.Ne}
	lists := []kql.Op{kql.In, kql.NotIn}
	nulls := []kql.Op{kql.IsNull, kql.IsNotNull}
	likes := []kql.Op{kql.Like, kql.NotLike, kql.ILike, kql.NotILike}

	add(1, schema.String, false, eqs, "abc", "", "ABC", "zzz", `x\y"'`, "é😀\n", nil)
	add(1, schema.String, false, lists, []any{"abc", "ABC"}, []any{"abc", nil}, []any{""}, []any{}, []any{nil}, []any{"zzz"})
	add(1, schema.String, false, nulls, nil)
	add(1, schema.String, false, likes, "abc", "a%", "%c", "%b%", "a_c", `a\%b\_c`, "%", "", "_b%", "é%", "%\n", `x\\y%`, "ABC", "%B%", nil)
	add(1, schema.String, false, []kql.Op{kql.LikeAny, kql.ILikeAny}, []any{"a%", "%c"}, []any{"ABC", nil}, []any{""}, []any{}, []any{nil}, []any{"%b%", `x\\y%`, "é%"})
	add(2, schema.String, true, nulls, nil)
	add(3, schema.Long, false, cmp, int64(0), int64(-1), int64(5), int64(math.MinInt64), int64(math.MaxInt64), nil)
	add(3, schema.Long, false, lists, []any{int64(0), int64(5)}, []any{int64(1), nil}, []any{}, []any{nil}, []any{int64(math.MinInt64)})
	add(3, schema.Long, false, nulls, nil)
	add(4, schema.Int, false, cmp, int64(0), int64(math.MaxInt32), int64(math.MinInt32), int64(1)<<40, nil)
	add(4, schema.Int, false, lists, []any{int64(-1), int64(1)}, []any{int64(5), nil}, []any{})
	add(4, schema.Int, false, nulls, nil)
	add(5, schema.Real, false, cmp, 0.0, 2.5, -2.5, math.Copysign(0, -1), math.MaxFloat64, -math.MaxFloat64, nil)
	add(5, schema.Real, false, lists, []any{0.0, 2.5}, []any{-2.5, nil}, []any{}, []any{nil})
	add(5, schema.Real, false, nulls, nil)
	add(6, schema.DateTime, false, cmp, t0, t1, tMin, tMax, t0.Add(time.Second), t0.Add(50*time.Nanosecond), t1.Add(-50*time.Nanosecond), nil)
	add(6, schema.DateTime, false, lists, []any{t0, tMax}, []any{t1, nil}, []any{t0.Add(50 * time.Nanosecond)}, []any{}, []any{t0.Add(1), t0})
	add(6, schema.DateTime, false, nulls, nil)
	add(7, schema.Bool, false, eqs, true, false, nil)
	add(7, schema.Bool, false, lists, []any{true}, []any{false, nil}, []any{true, false}, []any{})
	add(7, schema.Bool, false, nulls, nil)
	add(7, schema.Bool, false, []kql.Op{kql.Distinct}, true, false, nil)
	add(8, schema.GUID, false, eqs, string(g1), strings.ToUpper(string(g1)), "", "not-a-guid", nil)
	add(8, schema.GUID, false, lists, []any{string(g1)}, []any{string(g2), nil}, []any{""}, []any{}, []any{nil})
	add(8, schema.GUID, false, nulls, nil)
	add(9, schema.Dynamic, true, nulls, nil)
	return cases
}

func keys(t *testing.T, res *engine.Result) []int64 {
	t.Helper()
	var ks []int64
	for _, r := range res.Rows {
		ks = append(ks, r[0].(int64))
	}
	slices.Sort(ks)
	return ks
}

func TestDifferential(t *testing.T) {
	cat := catalog{"T": memTable("T", diffCols, diffRows)}
	for _, c := range diffCases() {
		name := fmt.Sprintf("%s %s %v", c.p.Column, c.p.Op, c.p.Value)
		src, err := (kql.Query{Table: "T", Where: []kql.Predicate{c.p}, Project: []string{"K"}}).Render()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var want []int64
		for _, r := range diffRows {
			if pgTrue(c.p, r[c.col]) {
				want = append(want, r[0].(int64))
			}
		}
		if got := keys(t, run(t, src, cat)); !slices.Equal(got, want) {
			t.Errorf("%s: simulator rows %v, Postgres rows %v\nKQL: %s", name, got, want, src)
		}
	}
}

// TestDifferentialAnd checks that predicates combine as SQL AND, including
// the grouped real comparisons that carry an or.
func TestDifferentialAnd(t *testing.T) {
	cat := catalog{"T": memTable("T", diffCols, diffRows)}
	cases := diffCases()
	for i := 0; i < len(cases); i += 7 {
		a, b := cases[i], cases[(i*13+5)%len(cases)]
		src, err := (kql.Query{Table: "T", Where: []kql.Predicate{a.p, b.p}, Project: []string{"K"}}).Render()
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, r := range diffRows {
			if pgTrue(a.p, r[a.col]) && pgTrue(b.p, r[b.col]) {
				want = append(want, r[0].(int64))
			}
		}
		if got := keys(t, run(t, src, cat)); !slices.Equal(got, want) {
			t.Errorf("simulator rows %v, Postgres rows %v\nKQL: %s", got, want, src)
		}
	}
}

// TestDifferentialSort checks Postgres NULL placement (ASC NULLS LAST,
// DESC NULLS FIRST) and NaN placement against the simulator's sort.
func TestDifferentialSort(t *testing.T) {
	cat := catalog{"T": memTable("T", diffCols, diffRows)}
	for _, col := range []int{3, 4, 5, 6, 7} {
		ty := schema.Type(diffCols[col].Type)
		for _, desc := range []bool{false, true} {
			q := kql.Query{Table: "T", OrderBy: []kql.Order{{Column: diffCols[col].Name, Desc: desc, Type: ty}}, Project: []string{diffCols[col].Name}}
			src, err := q.Render()
			if err != nil {
				t.Fatal(err)
			}
			var got, want []engine.Value
			for _, r := range run(t, src, cat).Rows {
				got = append(got, r[0])
			}
			for _, r := range diffRows {
				want = append(want, r[col])
			}
			slices.SortStableFunc(want, func(a, b engine.Value) int {
				c := pgOrder(ty, a, b)
				if desc {
					return -c
				}
				return c
			})
			if !sameOrder(got, want) {
				t.Errorf("%s desc=%v: simulator %v, Postgres %v\nKQL: %s", diffCols[col].Name, desc, got, want, src)
			}
		}
	}
}

// pgOrder is Postgres ascending order with NULL as the greatest value
// (so ASC puts it last and DESC first).
func pgOrder(t schema.Type, a, b engine.Value) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return pgCmp(t, a, b)
}

// sameOrder compares value sequences, treating NaN as equal to NaN and
// -0 as equal to 0 (ties may come back in either order).
func sameOrder(got, want []engine.Value) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		a, b := got[i], want[i]
		if fa, ok := a.(float64); ok {
			fb, ok := b.(float64)
			if !ok || !(fa == fb || math.IsNaN(fa) && math.IsNaN(fb)) {
				return false
			}
			continue
		}
		if ta, ok := a.(time.Time); ok {
			tb, ok := b.(time.Time)
			if !ok || !ta.Equal(tb) {
				return false
			}
			continue
		}
		if a != b {
			return false
		}
	}
	return true
}

// TestTakeAfterSort checks that take keeps the first rows of the sorted
// set and that the sort key need not be projected.
func TestTakeAfterSort(t *testing.T) {
	cat := catalog{"T": memTable("T", diffCols, diffRows)}
	src, err := (kql.Query{Table: "T", OrderBy: []kql.Order{{Column: "L", Desc: true, Type: schema.Long}}, Take: 3, Project: []string{"K"}}).Render()
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, src, cat)
	var got []int64
	for _, r := range res.Rows {
		got = append(got, r[0].(int64))
	}
	// L descending, NULL first: row 2 (NULL), row 4 (MaxInt64), row 7 (5).
	if want := []int64{2, 4, 7}; !slices.Equal(got, want) {
		t.Errorf("rows %v, want %v\nKQL: %s", got, want, src)
	}
}
