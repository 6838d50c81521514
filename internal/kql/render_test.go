package kql

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// where renders a one-predicate query and strips the table prefix.
func where(t *testing.T, p Predicate) (string, error) {
	t.Helper()
	q := Query{Table: "T", Where: []Predicate{p}}
	s, err := q.Render()
	if err != nil {
		return "", err
	}
	collectQuery(q, s)
	return strings.TrimPrefix(strings.TrimPrefix(s, "['T']"), " | where "), nil
}

func TestPredicates(t *testing.T) {
	day := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	subTick := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	str := func(op Op, v any) Predicate { return Predicate{Column: "S", Type: schema.String, Op: op, Value: v} }
	num := func(ty schema.Type, op Op, v any) Predicate {
		return Predicate{Column: "N", Type: ty, Op: op, Value: v}
	}
	tests := []struct {
		name string
		p    Predicate
		want string
	}{
		// string
		{"string =", str(Eq, "a"), `['S'] == "a"`},
		{"string = ''", str(Eq, ""), `false`},
		{"string = NULL", str(Eq, nil), `false`},
		{"string <>", str(Ne, "a"), `isnotempty(['S']) and ['S'] != "a"`},
		{"string <> ''", str(Ne, ""), `isnotempty(['S'])`},
		{"string IN", str(In, []any{"a", "b"}), `['S'] in ("a", "b")`},
		{"string IN drops NULL and ''", str(In, []any{nil, "a", ""}), `['S'] in ("a")`},
		{"string IN only NULL", str(In, []any{nil, ""}), `false`},
		{"string IN empty", str(In, []any{}), `false`},
		{"string NOT IN", str(NotIn, []any{"a", "b"}), `isnotempty(['S']) and ['S'] !in ("a", "b")`},
		{"string NOT IN with NULL", str(NotIn, []any{"a", nil}), `false`},
		{"string NOT IN drops ''", str(NotIn, []any{"", "a"}), `isnotempty(['S']) and ['S'] !in ("a")`},
		{"string NOT IN only ''", str(NotIn, []any{""}), `isnotempty(['S'])`},
		{"string NOT IN empty", str(NotIn, []any{}), ``},
		{"string IS NULL", str(IsNull, nil), `isempty(['S'])`},
		{"string IS NOT NULL", str(IsNotNull, nil), `isnotempty(['S'])`},
		{"string escapes", str(Eq, "a\"b\\c'd\ne"), `['S'] == "a\"b\\c'd\u000Ae"`},
		{"string non-BMP", str(Eq, "é😀"), `['S'] == "é😀"`},

		// LIKE
		{"LIKE literal", str(Like, "abc"), `isnotempty(['S']) and ['S'] == "abc"`},
		{"LIKE prefix", str(Like, "abc%"), `isnotempty(['S']) and ['S'] startswith_cs "abc"`},
		{"LIKE suffix", str(Like, "%abc"), `isnotempty(['S']) and ['S'] endswith_cs "abc"`},
		{"LIKE contains", str(Like, "%abc%"), `isnotempty(['S']) and ['S'] contains_cs "abc"`},
		{"LIKE repeated %", str(Like, "%%abc%%%"), `isnotempty(['S']) and ['S'] contains_cs "abc"`},
		{"LIKE %", str(Like, "%"), `isnotempty(['S'])`},
		{"LIKE %%%", str(Like, "%%%"), `isnotempty(['S'])`},
		{"LIKE ''", str(Like, ""), `false`},
		{"LIKE NULL", str(Like, nil), `false`},
		{"LIKE escaped %", str(Like, `100\%`), `isnotempty(['S']) and ['S'] == "100%"`},
		{"LIKE escaped _ prefix", str(Like, `a\_b%`), `isnotempty(['S']) and ['S'] startswith_cs "a_b"`},
		{"LIKE escaped backslash", str(Like, `%a\\b%`), `isnotempty(['S']) and ['S'] contains_cs "a\\b"`},
		{"LIKE escaped letter", str(Like, `\a\b`), `isnotempty(['S']) and ['S'] == "ab"`},
		{"LIKE _", str(Like, "a_c"), `isnotempty(['S']) and ['S'] contains_cs "a" and ['S'] matches regex "\\A(?s)a.c\\z"`},
		{"LIKE only _", str(Like, "__"), `isnotempty(['S']) and ['S'] matches regex "\\A(?s)..\\z"`},
		{"LIKE inner %", str(Like, "ab%cde"), `isnotempty(['S']) and ['S'] contains_cs "cde" and ['S'] matches regex "\\A(?s)ab.*cde\\z"`},
		{"LIKE punctuation", str(Like, `%a.b<c>(d)_`), `isnotempty(['S']) and ['S'] contains_cs "a.b<c>(d)" and ['S'] matches regex "\\A(?s).*a\\.b<c>\\(d\\).\\z"`},
		{"LIKE quote and newline", str(Like, "\"\n_"), `isnotempty(['S']) and ['S'] contains_cs "\"\u000A" and ['S'] matches regex "\\A(?s)\"\u000A.\\z"`},
		{"LIKE non-ASCII", str(Like, "é_😀"), `isnotempty(['S']) and ['S'] contains_cs "é" and ['S'] matches regex "\\A(?s)é.😀\\z"`},
		{"LIKE escaped wildcards in regex", str(Like, `\%_\_`), `isnotempty(['S']) and ['S'] contains_cs "%" and ['S'] matches regex "\\A(?s)%._\\z"`},
		// has_cs term prefilter (kql-semantics §2.6)
		{"LIKE term suffix", str(Like, "%.exe"), `isnotempty(['S']) and ['S'] has_cs "exe" and ['S'] endswith_cs ".exe"`},
		{"LIKE term prefix", str(Like, "cmd.exe /c%"), `isnotempty(['S']) and ['S'] has_cs "cmd" and ['S'] startswith_cs "cmd.exe /c"`},
		{"LIKE term inside", str(Like, `%\\Temp\\%`), `isnotempty(['S']) and ['S'] has_cs "Temp" and ['S'] contains_cs "\\Temp\\"`},
		{"LIKE longest term", str(Like, "% -enc %"), `isnotempty(['S']) and ['S'] has_cs "enc" and ['S'] contains_cs " -enc "`},
		{"LIKE term with regex", str(Like, "%/download/_%.ps1"), `isnotempty(['S']) and ['S'] has_cs "download" and ['S'] contains_cs "/download/" and ['S'] matches regex "\\A(?s).*/download/..*\\.ps1\\z"`},
		{"LIKE term is the longest run", str(Like, "%_[abcd]_%"), `isnotempty(['S']) and ['S'] has_cs "abcd" and ['S'] contains_cs "[abcd]" and ['S'] matches regex "\\A(?s).*.\\[abcd\\]..*\\z"`},
		{"LIKE term at the end, not before _", str(Like, "abc_%.def"), `isnotempty(['S']) and ['S'] has_cs "def" and ['S'] contains_cs ".def" and ['S'] matches regex "\\A(?s)abc..*\\.def\\z"`},
		{"LIKE no term: wildcard neighbour", str(Like, "%exe%"), `isnotempty(['S']) and ['S'] contains_cs "exe"`},
		{"LIKE no term: % at the edge", str(Like, "%.exe%"), `isnotempty(['S']) and ['S'] contains_cs ".exe"`},
		{"LIKE no term: _ neighbour", str(Like, "_abc."), `isnotempty(['S']) and ['S'] contains_cs "abc." and ['S'] matches regex "\\A(?s).abc\\.\\z"`},
		{"LIKE no term: literal _ neighbour", str(Like, `%.abc\_%`), `isnotempty(['S']) and ['S'] contains_cs ".abc_"`},
		{"LIKE no term: non-ASCII neighbour", str(Like, "%éabc.%"), `isnotempty(['S']) and ['S'] contains_cs "éabc."`},
		{"LIKE no term: too short", str(Like, "%.ps.%"), `isnotempty(['S']) and ['S'] contains_cs ".ps."`},
		{"LIKE no term: literal only", str(Like, "a.exe"), `isnotempty(['S']) and ['S'] == "a.exe"`},
		{"ILIKE term", str(ILike, `%\\PowerShell.exe`), `isnotempty(['S']) and ['S'] has "PowerShell" and ['S'] endswith "\\PowerShell.exe"`},
		{"ILIKE term with regex", str(ILike, "% -EncodedCommand _%"), `isnotempty(['S']) and ['S'] has "EncodedCommand" and ['S'] contains " -EncodedCommand " and ['S'] matches regex "\\A(?s).* -[eE][nN][cC][oO][dD][eE][dD][cC][oO][mM][mM][aA][nN][dD] ..*\\z"`},
		{"NOT LIKE term: no prefilter", str(NotLike, "%.exe"), `isnotempty(['S']) and ['S'] !endswith_cs ".exe"`},
		{"NOT ILIKE term: no prefilter", str(NotILike, "%.exe"), `isnotempty(['S']) and not(['S'] matches regex "\\A(?s).*\\.[eE][xX][eE]\\z")`},

		// NOT LIKE
		{"NOT LIKE literal", str(NotLike, "abc"), `isnotempty(['S']) and ['S'] != "abc"`},
		{"NOT LIKE prefix", str(NotLike, "abc%"), `isnotempty(['S']) and ['S'] !startswith_cs "abc"`},
		{"NOT LIKE suffix", str(NotLike, "%abc"), `isnotempty(['S']) and ['S'] !endswith_cs "abc"`},
		{"NOT LIKE contains", str(NotLike, "%abc%"), `isnotempty(['S']) and ['S'] !contains_cs "abc"`},
		{"NOT LIKE %", str(NotLike, "%"), `false`},
		{"NOT LIKE ''", str(NotLike, ""), `isnotempty(['S'])`},
		{"NOT LIKE _", str(NotLike, "a_"), `isnotempty(['S']) and not(['S'] matches regex "\\A(?s)a.\\z")`},
		{"NOT LIKE NULL", str(NotLike, nil), `false`},

		// ILIKE
		{"ILIKE literal", str(ILike, "AbC"), `isnotempty(['S']) and ['S'] =~ "AbC"`},
		{"ILIKE prefix", str(ILike, "ab%"), `isnotempty(['S']) and ['S'] startswith "ab"`},
		{"ILIKE suffix", str(ILike, "%ab"), `isnotempty(['S']) and ['S'] endswith "ab"`},
		{"ILIKE contains", str(ILike, "%ab%"), `isnotempty(['S']) and ['S'] contains "ab"`},
		{"ILIKE _", str(ILike, "a_É"), `isnotempty(['S']) and ['S'] contains "a" and ['S'] matches regex "\\A(?s)[aA].É\\z"`},
		{"ILIKE without letters", str(ILike, "%1-2%"), `isnotempty(['S']) and ['S'] contains_cs "1-2"`},
		{"ILIKE %", str(ILike, "%"), `isnotempty(['S'])`},

		// NOT ILIKE
		{"NOT ILIKE literal", str(NotILike, "ab"), `isnotempty(['S']) and not(['S'] matches regex "\\A(?s)[aA][bB]\\z")`},
		{"NOT ILIKE contains", str(NotILike, "%K%"), `isnotempty(['S']) and not(['S'] matches regex "\\A(?s).*[kK].*\\z")`},
		{"NOT ILIKE without letters", str(NotILike, "1%"), `isnotempty(['S']) and ['S'] !startswith_cs "1"`},
		{"NOT ILIKE %", str(NotILike, "%"), `false`},

		// long
		{"long =", num(schema.Long, Eq, int64(5)), `['N'] == long(5)`},
		{"long = NULL", num(schema.Long, Eq, nil), `false`},
		{"long <>", num(schema.Long, Ne, int64(5)), `isnotnull(['N']) and ['N'] != long(5)`},
		{"long <", num(schema.Long, Lt, int64(-5)), `['N'] < long(-5)`},
		{"long <=", num(schema.Long, Le, int64(math.MinInt64)), `['N'] <= long(-9223372036854775808)`},
		{"long >", num(schema.Long, Gt, int64(math.MaxInt64)), `['N'] > long(9223372036854775807)`},
		{"long >=", num(schema.Long, Ge, int64(0)), `['N'] >= long(0)`},
		{"long IN", num(schema.Long, In, []any{int64(1), nil, int64(2)}), `['N'] in (long(1), long(2))`},
		{"long IN only NULL", num(schema.Long, In, []any{nil}), `false`},
		{"long NOT IN", num(schema.Long, NotIn, []any{int64(1), int64(2)}), `isnotnull(['N']) and ['N'] !in (long(1), long(2))`},
		{"long NOT IN with NULL", num(schema.Long, NotIn, []any{int64(1), nil}), `false`},
		{"long NOT IN empty", num(schema.Long, NotIn, []any{}), ``},
		{"long IS NULL", num(schema.Long, IsNull, nil), `isnull(['N'])`},
		{"long IS NOT NULL", num(schema.Long, IsNotNull, nil), `isnotnull(['N'])`},

		// int
		{"int =", num(schema.Int, Eq, int64(3)), `['N'] == long(3)`},
		{"int = beyond int32", num(schema.Int, Eq, int64(1)<<40), `['N'] == long(1099511627776)`},
		{"int <>", num(schema.Int, Ne, int64(3)), `isnotnull(['N']) and ['N'] != long(3)`},
		{"int <", num(schema.Int, Lt, int64(3)), `['N'] < long(3)`},
		{"int <=", num(schema.Int, Le, int64(3)), `['N'] <= long(3)`},
		{"int >", num(schema.Int, Gt, int64(3)), `['N'] > long(3)`},
		{"int >=", num(schema.Int, Ge, int64(3)), `['N'] >= long(3)`},
		{"int IN", num(schema.Int, In, []any{int64(3)}), `['N'] in (long(3))`},
		{"int NOT IN", num(schema.Int, NotIn, []any{int64(3)}), `isnotnull(['N']) and ['N'] !in (long(3))`},
		{"int IS NULL", num(schema.Int, IsNull, nil), `isnull(['N'])`},
		{"int IS NOT NULL", num(schema.Int, IsNotNull, nil), `isnotnull(['N'])`},

		// real
		{"real =", num(schema.Real, Eq, 1.5), `['N'] == 1.5e+00`},
		{"real <>", num(schema.Real, Ne, 1.5), `isnotnull(['N']) and ['N'] != 1.5e+00`},
		{"real <", num(schema.Real, Lt, -1.5), `['N'] < (-1.5e+00)`},
		{"real <=", num(schema.Real, Le, 0.0), `['N'] <= 0e+00`},
		{"real >", num(schema.Real, Gt, 2.0), `(['N'] > 2e+00 or isnan(['N']))`},
		{"real >=", num(schema.Real, Ge, 2.0), `(['N'] >= 2e+00 or isnan(['N']))`},
		{"real IN", num(schema.Real, In, []any{1.0, nil}), `['N'] in (1e+00)`},
		{"real NOT IN", num(schema.Real, NotIn, []any{1.0}), `isnotnull(['N']) and ['N'] !in (1e+00)`},
		{"real IS NULL", num(schema.Real, IsNull, nil), `isnull(['N'])`},
		{"real IS NOT NULL", num(schema.Real, IsNotNull, nil), `isnotnull(['N'])`},

		// datetime
		{"datetime =", num(schema.DateTime, Eq, day), `['N'] == datetime(2024-05-06T07:08:09.1234560Z)`},
		{"datetime <>", num(schema.DateTime, Ne, day), `isnotnull(['N']) and ['N'] != datetime(2024-05-06T07:08:09.1234560Z)`},
		{"datetime <", num(schema.DateTime, Lt, day), `['N'] < datetime(2024-05-06T07:08:09.1234560Z)`},
		{"datetime <=", num(schema.DateTime, Le, day), `['N'] <= datetime(2024-05-06T07:08:09.1234560Z)`},
		{"datetime >", num(schema.DateTime, Gt, day), `['N'] > datetime(2024-05-06T07:08:09.1234560Z)`},
		{"datetime >=", num(schema.DateTime, Ge, day), `['N'] >= datetime(2024-05-06T07:08:09.1234560Z)`},
		{"datetime IN", num(schema.DateTime, In, []any{day, nil}), `['N'] in (datetime(2024-05-06T07:08:09.1234560Z))`},
		{"datetime NOT IN", num(schema.DateTime, NotIn, []any{day}), `isnotnull(['N']) and ['N'] !in (datetime(2024-05-06T07:08:09.1234560Z))`},
		{"datetime IS NULL", num(schema.DateTime, IsNull, nil), `isnull(['N'])`},
		{"datetime IS NOT NULL", num(schema.DateTime, IsNotNull, nil), `isnotnull(['N'])`},
		{"datetime sub-tick =", num(schema.DateTime, Eq, subTick), `false`},
		{"datetime sub-tick <>", num(schema.DateTime, Ne, subTick), `isnotnull(['N'])`},
		{"datetime sub-tick >", num(schema.DateTime, Gt, subTick), `['N'] > datetime(2024-05-06T07:08:09.1234567Z)`},
		{"datetime sub-tick >=", num(schema.DateTime, Ge, subTick), `['N'] >= datetime(2024-05-06T07:08:09.1234568Z)`},
		{"datetime sub-tick <", num(schema.DateTime, Lt, subTick), `['N'] < datetime(2024-05-06T07:08:09.1234568Z)`},
		{"datetime sub-tick <=", num(schema.DateTime, Le, subTick), `['N'] <= datetime(2024-05-06T07:08:09.1234567Z)`},
		{"datetime sub-tick IN", num(schema.DateTime, In, []any{subTick}), `false`},
		{"datetime sub-tick NOT IN", num(schema.DateTime, NotIn, []any{subTick, day}), `isnotnull(['N']) and ['N'] !in (datetime(2024-05-06T07:08:09.1234560Z))`},

		// bool
		{"bool =", num(schema.Bool, Eq, true), `['N'] == true`},
		{"bool <>", num(schema.Bool, Ne, false), `isnotnull(['N']) and ['N'] != false`},
		{"bool IN", num(schema.Bool, In, []any{true, nil}), `['N'] in (true)`},
		{"bool NOT IN", num(schema.Bool, NotIn, []any{true}), `isnotnull(['N']) and ['N'] !in (true)`},
		{"bool IS NULL", num(schema.Bool, IsNull, nil), `isnull(['N'])`},
		{"bool IS NOT NULL", num(schema.Bool, IsNotNull, nil), `isnotnull(['N'])`},

		// guid
		{"guid =", num(schema.GUID, Eq, "74be27de-1e4e-49d9-b579-fe0b331d3642"), `tostring(['N']) == "74be27de-1e4e-49d9-b579-fe0b331d3642"`},
		{"guid = ''", num(schema.GUID, Eq, ""), `false`},
		{"guid <>", num(schema.GUID, Ne, "x"), `isnotnull(['N']) and tostring(['N']) != "x"`},
		{"guid IN", num(schema.GUID, In, []any{"x", nil, ""}), `tostring(['N']) in ("x")`},
		{"guid NOT IN", num(schema.GUID, NotIn, []any{"x", ""}), `isnotnull(['N']) and tostring(['N']) !in ("x")`},
		{"guid NOT IN NULL", num(schema.GUID, NotIn, []any{"x", nil}), `false`},
		{"guid IS NULL", num(schema.GUID, IsNull, nil), `isnull(['N'])`},
		{"guid IS NOT NULL", num(schema.GUID, IsNotNull, nil), `isnotnull(['N'])`},

		// dynamic and JSON text
		{"dynamic IS NULL", num(schema.Dynamic, IsNull, nil), `isnull(['N'])`},
		{"dynamic IS NOT NULL", num(schema.Dynamic, IsNotNull, nil), `isnotnull(['N'])`},
		{"JSON text IS NULL", Predicate{Column: "J", Type: schema.String, JSON: true, Op: IsNull}, `isempty(['J'])`},
		{"JSON text IS NOT NULL", Predicate{Column: "J", Type: schema.String, JSON: true, Op: IsNotNull}, `isnotempty(['J'])`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := where(t, tc.p)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if err := Exact(tc.p); err != nil {
				t.Errorf("Exact = %v, want nil", err)
			}
		})
	}
}

func TestNotExact(t *testing.T) {
	ops := []Op{Eq, Ne, Lt, Le, Gt, Ge, Like, NotLike, ILike, NotILike, In, NotIn, IsNull, IsNotNull, Distinct, LikeAny, ILikeAny}
	types := []struct {
		t    schema.Type
		json bool
		ok   []Op
	}{
		{schema.String, false, []Op{Eq, Ne, Like, NotLike, ILike, NotILike, In, NotIn, IsNull, IsNotNull, LikeAny, ILikeAny}},
		{schema.String, true, []Op{IsNull, IsNotNull}},
		{schema.Long, false, []Op{Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, IsNull, IsNotNull}},
		{schema.Int, false, []Op{Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, IsNull, IsNotNull}},
		{schema.Real, false, []Op{Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, IsNull, IsNotNull}},
		{schema.DateTime, false, []Op{Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, IsNull, IsNotNull}},
		{schema.Bool, false, []Op{Eq, Ne, In, NotIn, IsNull, IsNotNull, Distinct}},
		{schema.GUID, false, []Op{Eq, Ne, In, NotIn, IsNull, IsNotNull}},
		{schema.Dynamic, false, []Op{IsNull, IsNotNull}},
		{schema.Dynamic, true, []Op{IsNull, IsNotNull}},
	}
	for _, ty := range types {
		allowed := map[Op]bool{}
		for _, o := range ty.ok {
			allowed[o] = true
		}
		got := Operators(ty.t, ty.json)
		if len(got) != len(ty.ok) {
			t.Errorf("Operators(%s, %v) = %v, want %v", ty.t, ty.json, got, ty.ok)
		}
		for _, op := range ops {
			// A nil value keeps the value out of the question: only the
			// operator decides.
			err := Exact(Predicate{Column: "C", Type: ty.t, JSON: ty.json, Op: op})
			if allowed[op] {
				if err != nil {
					t.Errorf("%s json=%v %s: %v", ty.t, ty.json, op, err)
				}
				continue
			}
			if !errors.Is(err, ErrNotExact) {
				t.Errorf("%s json=%v %s: error %v, want ErrNotExact", ty.t, ty.json, op, err)
				continue
			}
			if msg := err.Error(); !strings.Contains(msg, "C") || !strings.Contains(msg, op.String()) {
				t.Errorf("error %q does not name the column and operator", msg)
			}
			if _, rerr := (Query{Table: "T", Where: []Predicate{{Column: "C", Type: ty.t, JSON: ty.json, Op: op}}}).Render(); !errors.Is(rerr, ErrNotExact) {
				t.Errorf("Render: %v, want ErrNotExact", rerr)
			}
		}
	}
}

func TestNotExactValues(t *testing.T) {
	tests := []struct {
		name string
		p    Predicate
	}{
		{"NaN =", Predicate{Column: "R", Type: schema.Real, Op: Eq, Value: math.NaN()}},
		{"NaN >", Predicate{Column: "R", Type: schema.Real, Op: Gt, Value: math.NaN()}},
		{"Inf <", Predicate{Column: "R", Type: schema.Real, Op: Lt, Value: math.Inf(1)}},
		{"NaN in list", Predicate{Column: "R", Type: schema.Real, Op: In, Value: []any{1.0, math.NaN()}}},
		{"string invalid UTF-8", Predicate{Column: "S", Type: schema.String, Op: Eq, Value: "\xff"}},
		{"string NUL", Predicate{Column: "S", Type: schema.String, Op: Ne, Value: "a\x00"}},
		{"string NUL in list", Predicate{Column: "S", Type: schema.String, Op: In, Value: []any{"a\x00"}}},
		{"LIKE trailing backslash", Predicate{Column: "S", Type: schema.String, Op: Like, Value: `abc\`}},
		{"NOT LIKE trailing backslash", Predicate{Column: "S", Type: schema.String, Op: NotLike, Value: `\\\`}},
		{"LIKE invalid UTF-8", Predicate{Column: "S", Type: schema.String, Op: ILike, Value: "%\xff%"}},
		{"LIKE NUL", Predicate{Column: "S", Type: schema.String, Op: Like, Value: "%\x00"}},
		{"year 10000", Predicate{Column: "D", Type: schema.DateTime, Op: Lt, Value: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"year 0", Predicate{Column: "D", Type: schema.DateTime, Op: Gt, Value: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"guid NUL", Predicate{Column: "G", Type: schema.GUID, Op: Eq, Value: "\x00"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Exact(tc.p)
			if !errors.Is(err, ErrNotExact) {
				t.Fatalf("Exact = %v, want ErrNotExact", err)
			}
			if !strings.Contains(err.Error(), tc.p.Column+" "+tc.p.Op.String()) {
				t.Errorf("error %q does not name the column and operator", err)
			}
		})
	}
}

func TestWrongValueType(t *testing.T) {
	for _, p := range []Predicate{
		{Column: "N", Type: schema.Long, Op: Eq, Value: 5},
		{Column: "N", Type: schema.Long, Op: In, Value: []int64{1}},
		{Column: "N", Type: schema.Long, Op: In, Value: []any{"1"}},
		{Column: "S", Type: schema.String, Op: Like, Value: 1},
		{Column: "B", Type: schema.Bool, Op: Eq, Value: "true"},
		{Column: "G", Type: schema.GUID, Op: Ne, Value: 1},
	} {
		err := Exact(p)
		if err == nil || errors.Is(err, ErrNotExact) {
			t.Errorf("%+v: error %v, want a type error", p, err)
		}
	}
}

func TestRender(t *testing.T) {
	s := func(c string) Predicate { return Predicate{Column: c, Type: schema.String, Op: Eq, Value: "x"} }
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"bare table", Query{Table: "DeviceEvents"}, `['DeviceEvents']`},
		{"full", Query{
			Table: "DeviceEvents",
			Where: []Predicate{
				s("DeviceName"),
				{Column: "Timestamp", Type: schema.DateTime, Op: Ge, Value: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
			},
			OrderBy: []Order{{Column: "Timestamp", Type: schema.DateTime, Desc: true}},
			Take:    10,
			Project: []string{"Timestamp", "DeviceName"},
		}, `['DeviceEvents'] | where ['DeviceName'] == "x" and ['Timestamp'] >= datetime(2024-01-01T00:00:00.0000000Z) | sort by ['Timestamp'] desc nulls first | take 10 | project ['Timestamp'], ['DeviceName']`},
		{"or stays grouped", Query{Table: "T", Where: []Predicate{
			{Column: "R", Type: schema.Real, Op: Gt, Value: 1.0},
			{Column: "R", Type: schema.Real, Op: Lt, Value: 5.0},
		}}, `['T'] | where (['R'] > 1e+00 or isnan(['R'])) and ['R'] < 5e+00`},
		{"never true wins", Query{Table: "T", Where: []Predicate{s("A"), {Column: "B", Type: schema.Long, Op: Eq}}}, `['T'] | where false`},
		{"always true dropped", Query{Table: "T", Where: []Predicate{{Column: "B", Type: schema.Long, Op: NotIn, Value: []any{}}}}, `['T']`},
		{"asc and real keys", Query{Table: "T", OrderBy: []Order{
			{Column: "L", Type: schema.Long},
			{Column: "R", Type: schema.Real},
			{Column: "R2", Type: schema.Real, Desc: true},
			{Column: "B", Type: schema.Bool},
		}}, `['T'] | sort by ['L'] asc nulls last, isnull(['R']) asc, ['R'] asc nulls last, isnull(['R2']) desc, ['R2'] desc nulls first, ['B'] asc nulls last`},
		{"take zero", Query{Table: "T", Take: 0}, `['T']`},
		{"take negative", Query{Table: "T", Take: -3}, `['T']`},
		{"project dedupes", Query{Table: "T", Project: []string{"A", "B", "A"}}, `['T'] | project ['A'], ['B']`},
		{"hostile names", Query{Table: "T']|take 1", Project: []string{"a'b"}}, `['T\']|take 1'] | project ['a\'b']`},
		{"latest", Query{
			Table: "DeviceNetworkInfo",
			Where: []Predicate{{Column: "Timestamp", Type: schema.DateTime, Op: Ge, Value: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}},
			Latest: &Latest{Time: "Timestamp", By: []string{"DeviceId", "NetworkAdapterName"}, Where: []Predicate{
				s("TunnelType"),
				{Column: "Timestamp", Type: schema.DateTime, Op: Lt, Value: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)},
			}},
			OrderBy: []Order{{Column: "Timestamp", Type: schema.DateTime}},
			Take:    1000,
			Project: []string{"Timestamp", "DeviceId", "TunnelType"},
		}, `['DeviceNetworkInfo'] | where ['Timestamp'] >= datetime(2024-01-01T00:00:00.0000000Z) | summarize arg_max(['Timestamp'], *) by ['DeviceId'], ['NetworkAdapterName'] | where ['TunnelType'] == "x" and ['Timestamp'] < datetime(2024-02-01T00:00:00.0000000Z) | sort by ['Timestamp'] asc nulls last | take 1000 | project ['Timestamp'], ['DeviceId'], ['TunnelType']`},
		{"latest never true after", Query{Table: "DeviceInfo", Latest: &Latest{Time: "Timestamp", By: []string{"DeviceId"}, Where: []Predicate{{Column: "OSBuild", Type: schema.Long, Op: Eq}}}},
			`['DeviceInfo'] | summarize arg_max(['Timestamp'], *) by ['DeviceId'] | where false`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.q.Render()
			if err != nil {
				t.Fatal(err)
			}
			collectQuery(tc.q, got)
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name     string
		q        Query
		notExact bool
	}{
		{"no table", Query{}, false},
		{"string sort", Query{Table: "T", OrderBy: []Order{{Column: "S", Type: schema.String}}}, true},
		{"guid sort", Query{Table: "T", OrderBy: []Order{{Column: "G", Type: schema.GUID}}}, true},
		{"dynamic sort", Query{Table: "T", OrderBy: []Order{{Column: "D", Type: schema.Dynamic}}}, true},
		{"JSON text sort", Query{Table: "T", OrderBy: []Order{{Column: "J", Type: schema.String, JSON: true}}}, true},
		{"untyped sort", Query{Table: "T", OrderBy: []Order{{Column: "X"}}}, true},
		{"empty sort column", Query{Table: "T", OrderBy: []Order{{Type: schema.Long}}}, false},
		{"empty project column", Query{Table: "T", Project: []string{""}}, false},
		{"empty predicate column", Query{Table: "T", Where: []Predicate{{Type: schema.Long, Op: IsNull}}}, false},
		{"inexact predicate", Query{Table: "T", Where: []Predicate{{Column: "S", Type: schema.String, Op: Lt, Value: "a"}}}, true},
		{"latest without keys", Query{Table: "T", Latest: &Latest{Time: "Timestamp"}}, false},
		{"inexact latest predicate", Query{Table: "T", Latest: &Latest{Time: "Timestamp", By: []string{"K"}, Where: []Predicate{{Column: "S", Type: schema.String, Op: Lt, Value: "a"}}}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.q.Render()
			if err == nil {
				t.Fatalf("Render = %s, want an error", got)
			}
			if errors.Is(err, ErrNotExact) != tc.notExact {
				t.Errorf("error %q: ErrNotExact = %v, want %v", err, !tc.notExact, tc.notExact)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := Query{Table: "T", Where: []Predicate{{Column: "FileName", Type: schema.String, Op: Gt, Value: "a"}}}.Render()
	if want := "kql: column FileName >: no exact KQL translation for a string column"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	_, err = Query{Table: "T", Where: []Predicate{{Column: "Score", Type: schema.Real, Op: Eq, Value: math.NaN()}}}.Render()
	if want := "kql: column Score =: no exact KQL translation: real value NaN"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func BenchmarkRender(b *testing.B) {
	q := Query{
		Table: "DeviceProcessEvents",
		Where: []Predicate{
			{Column: "Timestamp", Type: schema.DateTime, Op: Ge, Value: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Column: "FileName", Type: schema.String, Op: In, Value: []any{"cmd.exe", "powershell.exe", "pwsh.exe"}},
			{Column: "ProcessCommandLine", Type: schema.String, Op: ILike, Value: "%-enc_%"},
		},
		OrderBy: []Order{{Column: "Timestamp", Type: schema.DateTime, Desc: true}},
		Take:    100,
		Project: []string{"Timestamp", "DeviceName", "FileName", "ProcessCommandLine"},
	}
	for b.Loop() {
		if _, err := q.Render(); err != nil {
			b.Fatal(err)
		}
	}
}
