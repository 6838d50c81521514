package engine

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestStringLiteralForms(t *testing.T) {
	cases := []struct{ lit, want string }{
		{`"a\"b"`, `a"b`},
		{`'it\'s'`, `it's`},
		{`"it's"`, `it's`},
		{`'say "hi"'`, `say "hi"`},
		{`@"C:\temp\x"`, `C:\temp\x`},
		{`@"say ""hi"""`, `say "hi"`},
		{`@'it''s'`, `it's`},
		{"```line1\nline2```", "line1\nline2"},
		{"~~~a\\b~~~", `a\b`},
		{`h"secret"`, "secret"},
		{`H@'c:\x'`, `c:\x`},
		{`"a" 'b' @"c"`, "abc"},
		{"\"a\" // comment\n 'b'", "ab"},
		{`"\u00e9"`, "é"},
		{`"\U0001F600"`, "😀"},
		{`"\uD83D\uDE00"`, "😀"},
		{`"\x41\x7a"`, "Az"},
		{`"\101\7"`, "A\a"},
		{`"\t\n\r\\\a\b\f\v"`, "\t\n\r\\\a\b\f\v"},
		{`"😀 raw"`, "😀 raw"},
	}
	for _, c := range cases {
		t.Run(c.lit, func(t *testing.T) {
			if got := scalar(t, c.lit); got != c.want {
				t.Errorf("%s = %q, want %q", c.lit, got, c.want)
			}
		})
	}
}

func TestUnknownEscapeIsParseError(t *testing.T) {
	for _, lit := range []string{
		`"\q"`, `"\d"`, `'\e'`, `"\u12"`, `"\u12G4"`, `"\x4"`, `"\U0001F60"`, `"\U00110000"`,
		"\"raw\nnewline\"", `@"unterminated`, `"unterminated`, "```open",
	} {
		if _, err := Parse("T | where Name == " + lit); err == nil || err.(*Error).Kind != SyntaxError {
			t.Errorf("Parse(%q) error = %v, want a SyntaxError", lit, err)
		}
	}
}

func TestTypedLiterals(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		lit  string
		typ  Type
		want Value
	}{
		{"datetime(2015-12-31)", TDateTime, ts("2015-12-31T00:00:00Z")},
		{"datetime(2015-12-31 23:59:59.9)", TDateTime, ts("2015-12-31T23:59:59.9Z")},
		{"datetime(2014-05-25T08:20:03.1234567Z)", TDateTime, ts("2014-05-25T08:20:03.1234567Z")},
		{"datetime(2014-05-25T08:20:03+02:00)", TDateTime, ts("2014-05-25T06:20:03Z")},
		{`datetime("2014-05-25T08:20")`, TDateTime, ts("2014-05-25T08:20:00Z")},
		{"datetime(null)", TDateTime, nil},
		{"long(-5)", TLong, int64(-5)},
		{"long(-9223372036854775808)", TLong, int64(math.MinInt64)},
		{"long(null)", TLong, nil},
		{"int(7)", TInt, int64(7)},
		{"real(1.5e3)", TReal, 1500.0},
		{"real(+inf)", TReal, math.Inf(1)},
		{"real(-inf)", TReal, math.Inf(-1)},
		{"real(nan)", TReal, nan},
		{"double(2)", TReal, 2.0},
		{"bool(true)", TBool, true},
		{"bool(null)", TBool, nil},
		{"True", TBool, true},
		{"FALSE", TBool, false},
		{"guid(74BE27DE-1E4E-49D9-B579-FE0B331D3642)", TGUID, GUID("74be27de-1e4e-49d9-b579-fe0b331d3642")},
		{"74be27de-1e4e-49d9-b579-fe0b331d3642", TGUID, GUID("74be27de-1e4e-49d9-b579-fe0b331d3642")},
		{"guid(null)", TGUID, nil},
		{"timespan(null)", TTimespan, nil},
		{"0x1F", TLong, int64(31)},
		{"1e3", TReal, 1000.0},
		{"2.5", TReal, 2.5},
	}
	for _, c := range cases {
		t.Run(c.lit, func(t *testing.T) {
			res := run(t, "T | where Id == 1 | project v = "+c.lit)
			if res.Columns[0].Type != c.typ {
				t.Errorf("type = %s, want %s", res.Columns[0].Type, c.typ)
			}
			got := res.Rows[0][0]
			if f, ok := c.want.(float64); ok && math.IsNaN(f) {
				if g, ok := got.(float64); !ok || !math.IsNaN(g) {
					t.Errorf("value = %v, want NaN", got)
				}
				return
			}
			if gt, ok := got.(time.Time); ok {
				if !gt.Equal(c.want.(time.Time)) {
					t.Errorf("value = %v, want %v", got, c.want)
				}
				return
			}
			if got != c.want {
				t.Errorf("value = %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestDatetimeOnlyISO8601(t *testing.T) {
	for _, lit := range []string{
		"datetime(12/31/2015)", "datetime(Thu, 31 Dec 2015 23:59:59 GMT)", "datetime(2015-02-30)",
		"datetime(2015-12-31T24:00:00Z)", "datetime(2015-12-31T10:00:00.12345678Z)", "datetime(0000-01-01)",
		"datetime(2015-12-31Z)", "datetime(yesterday)",
	} {
		if _, err := Parse("T | where When == " + lit); err == nil {
			t.Errorf("Parse accepted %s", lit)
		}
	}
}

func TestDatetimeUTC100ns(t *testing.T) {
	got := scalar(t, "tostring(datetime(2026-01-02T03:04:05.1234567Z))")
	if got != "2026-01-02T03:04:05.1234567Z" {
		t.Errorf("tostring = %q", got)
	}
	got = scalar(t, "tostring(datetime(2026-01-02 03:04))")
	if got != "2026-01-02T03:04:00.0000000Z" {
		t.Errorf("tostring = %q", got)
	}
	// The difference of two datetimes keeps tick precision.
	if d := scalar(t, "datetime(2026-01-01T00:00:00.0000001Z) - datetime(2026-01-01)"); d != 100*time.Nanosecond {
		t.Errorf("difference = %v, want 1 tick", d)
	}
}

func TestTimespanLiterals(t *testing.T) {
	cases := []struct {
		lit  string
		want time.Duration
	}{
		{"2d", 48 * time.Hour},
		{"1.5h", 90 * time.Minute},
		{"30m", 30 * time.Minute},
		{"10s", 10 * time.Second},
		{"10ms", 10 * time.Millisecond},
		{"10microsecond", 10 * time.Microsecond},
		{"1tick", 100 * time.Nanosecond},
		{"2days", 48 * time.Hour},
		{"timespan(15 seconds)", 15 * time.Second},
		{"timespan(2)", 48 * time.Hour},
		{"timespan(0.12:34:56.7)", 12*time.Hour + 34*time.Minute + 56*time.Second + 700*time.Millisecond},
		{"timespan(-01:30:00)", -90 * time.Minute},
		{"time(1h)", time.Hour},
	}
	for _, c := range cases {
		if got := scalar(t, c.lit); got != c.want {
			t.Errorf("%s = %v, want %v", c.lit, got, c.want)
		}
	}
	for _, bad := range []string{"1w", "2x", "timespan(1 fortnight)", "timespan(25:00:00)", "1e3d"} {
		if _, err := Parse("T | where Span == " + bad); err == nil {
			t.Errorf("Parse accepted %s", bad)
		}
	}
}

func TestMinusFiveIsUnaryMinus(t *testing.T) {
	q, err := Parse("T | where Score == -5")
	if err != nil {
		t.Fatal(err)
	}
	b := q.ops[0].(whereOp).pred.(*binExpr)
	if u, ok := b.r.(*unaryExpr); !ok || u.op != "-" {
		t.Fatalf("-5 parsed as %T, want unary minus", b.r)
	}
	if got := ids(t, "T | where Score == -5"); len(got) != 1 || got[0] != 4 {
		t.Errorf("Score == -5 -> %v, want [4]", got)
	}
	if got := scalar(t, "- -5"); got != int64(5) {
		t.Errorf("- -5 = %v", got)
	}
	if _, err := Parse("T | where Score == 9223372036854775808"); err == nil {
		t.Error("9223372036854775808 accepted as a long literal")
	}
	if _, err := Parse("T | where Score == -9223372036854775808"); err == nil {
		t.Error("-9223372036854775808 accepted: the literal part does not fit a long")
	}
}

func TestKeywordsAreLowercase(t *testing.T) {
	for _, q := range []string{"T | WHERE Id == 1", "T | Where Id == 1", "T | where Id == 1 AND Id == 2", "T | sort BY Id", "T | project Id | TAKE 1"} {
		if k, _ := errKind(q); k != SyntaxError {
			t.Errorf("%q: kind %v, want SyntaxError", q, k)
		}
	}
}

func TestSyntaxErrorMessages(t *testing.T) {
	for _, q := range []string{"T | where (Id == 1", "T | where Id ==", "T |", "| where x", "T | where Id == 1 )", "T # x"} {
		k, msg := errKind(q)
		if k != SyntaxError || !strings.Contains(msg, "A recognition error occurred") || !strings.Contains(msg, "Syntax error") {
			t.Errorf("%q: %v %q", q, k, msg)
		}
	}
}

func TestEmptyInListIsSyntaxError(t *testing.T) {
	for _, q := range []string{"T | where Name in ()", "T | where Name !in ()", "T | where Name in~ ()", "T | where Name has_any ()"} {
		if k, _ := errKind(q); k != SyntaxError {
			t.Errorf("%q: kind %v, want SyntaxError", q, k)
		}
	}
}

func TestUnsupportedSyntaxIsRejected(t *testing.T) {
	for _, q := range []string{
		"T | join (T) on Id",
		"union (T | take 1), T",
		"union T*",
		"union isfuzzy=true T",
		"T | union withsource=S T",
		"T | mv-expand Blob",
		"T | parse Name with a",
		"T | make-series count() on When step 1d",
		"T | lookup T on Id",
		"datatable(a:long)[1]",
		"T | where Name like 'x'",
		"let X = T | where Id == 1; X",
		"T | summarize count() * 2",
		"T | project-rename A = Id",
		"T | render table",
		"T | where Name has_any_cs ('x')",
		"T | where decimal(1.5) > 1",
		"T | where split(Name, ' ')[0] == 'a'",
	} {
		k, msg := errKind(q)
		if k == 0 {
			t.Errorf("%q accepted", q)
			continue
		}
		if k == SyntaxError && !strings.Contains(msg, "not supported by the simulator") {
			t.Errorf("%q: %q does not say it is unsupported", q, msg)
		}
	}
}

func TestCommentsAndBracketNames(t *testing.T) {
	got := ids(t, "// leading comment\n['T'] // table\n| where ['Id'] == 2 // filter\n| project [\"Id\"]")
	if len(got) != 1 || got[0] != 2 {
		t.Errorf("got %v", got)
	}
	if got := ids(t, "T | where Name == '// not a comment' or Id == 1"); len(got) != 1 || got[0] != 1 {
		t.Errorf("comment inside string: got %v", got)
	}
}

func TestLetStatements(t *testing.T) {
	if got := ids(t, "let x = 10; let y = x * 2; T | where Score == x or Score == y"); len(got) != 2 {
		t.Errorf("got %v", got)
	}
	if k, _ := errKind("let x = Score; T"); k != SemanticError {
		t.Errorf("let referring to a column: kind %v", k)
	}
}
