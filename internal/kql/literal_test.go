package kql

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

func TestLiteral(t *testing.T) {
	at := func(s string) time.Time {
		ts, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	tests := []struct {
		name string
		v    any
		t    schema.Type
		want string
	}{
		{"empty string", "", schema.String, `""`},
		{"plain", "cmd.exe", schema.String, `"cmd.exe"`},
		{"single quote raw", "it's", schema.String, `"it's"`},
		{"double quote", `say "hi"`, schema.String, `"say \"hi\""`},
		{"backslash", `C:\Windows\`, schema.String, `"C:\\Windows\\"`},
		{"newline tab cr", "a\nb\tc\rd", schema.String, `"a\u000Ab\u0009c\u000Dd"`},
		{"DEL and C1", "\x7f\u0085\u009f", schema.String, `"\u007F\u0085\u009F"`},
		{"separators and BOM", "\u2028\u2029\ufeff", schema.String, `"\u2028\u2029\uFEFF"`},
		{"reference example", "it's \"q\" \\ \n 😀", schema.String, `"it's \"q\" \\ \u000A 😀"`},
		{"non-ASCII raw", "Über café ☃ \u00a0", schema.String, "\"Über café ☃ \u00a0\""},
		{"non-BMP raw", "😀𝄞", schema.String, `"😀𝄞"`},
		{"guid as text", "74be27de-1e4e-49d9-b579-fe0b331d3642", schema.GUID, `"74be27de-1e4e-49d9-b579-fe0b331d3642"`},
		{"long", int64(42), schema.Long, "long(42)"},
		{"negative long", int64(-5), schema.Long, "long(-5)"},
		{"int64 max", int64(math.MaxInt64), schema.Long, "long(9223372036854775807)"},
		{"int64 min", int64(math.MinInt64), schema.Long, "long(-9223372036854775808)"},
		{"int column", int64(7), schema.Int, "long(7)"},
		{"real", 1.5, schema.Real, "1.5e+00"},
		{"whole real", 100.0, schema.Real, "1e+02"},
		{"negative real", -0.25, schema.Real, "(-2.5e-01)"},
		{"negative zero", math.Copysign(0, -1), schema.Real, "(-0e+00)"},
		{"smallest subnormal", math.SmallestNonzeroFloat64, schema.Real, "5e-324"},
		{"max float", math.MaxFloat64, schema.Real, "1.7976931348623157e+308"},
		{"tenth", 0.1, schema.Real, "1e-01"},
		{"true", true, schema.Bool, "true"},
		{"false", false, schema.Bool, "false"},
		{"datetime", at("2024-03-05T07:08:09Z"), schema.DateTime, "datetime(2024-03-05T07:08:09.0000000Z)"},
		{"microseconds", at("2024-03-05T07:08:09.123456Z"), schema.DateTime, "datetime(2024-03-05T07:08:09.1234560Z)"},
		{"ticks", at("2024-03-05T07:08:09.1234567Z"), schema.DateTime, "datetime(2024-03-05T07:08:09.1234567Z)"},
		{"converted to UTC", at("2024-03-05T01:00:00+02:00"), schema.DateTime, "datetime(2024-03-04T23:00:00.0000000Z)"},
		{"year 1", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), schema.DateTime, "datetime(0001-01-01T00:00:00.0000000Z)"},
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC), schema.DateTime, "datetime(9999-12-31T23:59:59.9999999Z)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Literal(tc.v, tc.t)
			if err != nil {
				t.Fatalf("Literal(%#v, %s): %v", tc.v, tc.t, err)
			}
			CollectKQL("print v = " + got)
			if got != tc.want {
				t.Errorf("Literal(%#v, %s) = %s, want %s", tc.v, tc.t, got, tc.want)
			}
		})
	}
}

func TestLiteralRejects(t *testing.T) {
	tests := []struct {
		name     string
		v        any
		t        schema.Type
		notExact bool // the error wraps ErrNotExact
	}{
		{"invalid UTF-8", "a\xffb", schema.String, true},
		{"truncated rune", "\xe2\x82", schema.String, true},
		{"surrogate half", "\xed\xa0\x80", schema.String, true},
		{"NUL", "a\x00b", schema.String, true},
		{"NUL guid", "\x00", schema.GUID, true},
		{"NaN", math.NaN(), schema.Real, true},
		{"+Inf", math.Inf(1), schema.Real, true},
		{"-Inf", math.Inf(-1), schema.Real, true},
		{"year 0", time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), schema.DateTime, true},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), schema.DateTime, true},
		{"UTC pushes past 9999", time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("w", -2*3600)), schema.DateTime, true},
		{"sub-tick instant", time.Date(2024, 1, 1, 0, 0, 0, 50, time.UTC), schema.DateTime, true},
		{"dynamic", "{}", schema.Dynamic, true},
		{"int for long", 5, schema.Long, false},
		{"string for long", "5", schema.Long, false},
		{"int64 for real", int64(1), schema.Real, false},
		{"string for datetime", "2024-01-01", schema.DateTime, false},
		{"nil", nil, schema.String, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Literal(tc.v, tc.t)
			if err == nil {
				t.Fatalf("Literal(%#v, %s) = %s, want an error", tc.v, tc.t, got)
			}
			if errors.Is(err, ErrNotExact) != tc.notExact {
				t.Errorf("Literal(%#v, %s): error %q, ErrNotExact = %v, want %v", tc.v, tc.t, err, !tc.notExact, tc.notExact)
			}
		})
	}
}

func TestIdent(t *testing.T) {
	tests := map[string]string{
		"Timestamp":    `['Timestamp']`,
		"where":        `['where']`,
		"Über":         `['Über']`,
		"a b":          `['a b']`,
		"it's":         `['it\'s']`,
		`a\b`:          `['a\\b']`,
		`"q"`:          `['"q"']`,
		"x']|take 1//": `['x\']|take 1//']`,
		"line\nbreak":  `['line\u000Abreak']`,
		"nul\x00":      `['nul\u0000']`,
		"bad\xff":      "['bad\uFFFD']",
		"":             `['']`,
		"😀":            `['😀']`,
	}
	for in, want := range tests {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %s, want %s", in, got, want)
		}
		CollectKQL("print " + Ident(in) + " = 1")
	}
}
