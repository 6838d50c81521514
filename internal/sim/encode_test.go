package sim

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

func TestAppendValue(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"null", nil, `null`},
		{"empty string", "", `""`},
		{"escapes", "a\"b\\c\n\t\x01", `"a\"b\\c\n\t\u0001"`},
		{"non-ASCII kept", "é ü ß Ж 漢 😀", `"é ü ß Ж 漢 😀"`},
		{"invalid UTF-8", "a\xffb", `"a\ufffdb"`},
		{"max long", int64(math.MaxInt64), `9223372036854775807`},
		{"min long", int64(math.MinInt64), `-9223372036854775808`},
		{"2^53+1", int64(1<<53 + 1), `9007199254740993`},
		{"real", 1.5, `1.5`},
		{"tiny real", 1e-9, `1e-09`},
		{"NaN", math.NaN(), `"NaN"`},
		{"+inf", math.Inf(1), `"Infinity"`},
		{"-inf", math.Inf(-1), `"-Infinity"`},
		{"bool", false, `false`},
		{"datetime 7 digits", time.Date(2024, 3, 26, 9, 39, 50, 768864100, time.UTC), `"2024-03-26T09:39:50.7688641Z"`},
		{"datetime whole second", time.Date(2024, 3, 26, 9, 39, 50, 0, time.UTC), `"2024-03-26T09:39:50.0000000Z"`},
		{"datetime to UTC", time.Date(2024, 3, 26, 11, 39, 50, 0, time.FixedZone("x", 7200)), `"2024-03-26T09:39:50.0000000Z"`},
		{"timespan zero", time.Duration(0), `"00:00:00"`},
		{"timespan", 90 * time.Minute, `"01:30:00"`},
		{"negative timespan", -90 * time.Minute, `"-01:30:00"`},
		{"timespan with days", 26*time.Hour + 3*time.Minute + 4500*time.Millisecond, `"1.02:03:04.5000000"`},
		{"one tick", 100 * time.Nanosecond, `"00:00:00.0000001"`},
		{"guid", engine.GUID("6f1c2b7e-0d4a-4c1e-9a53-3b8f2d7c5e10"), `"6f1c2b7e-0d4a-4c1e-9a53-3b8f2d7c5e10"`},
		{"dynamic null", engine.Dynamic{}, `null`},
		{"dynamic string", engine.Dynamic{V: "x"}, `"x"`},
		{"dynamic nested, keys sorted", engine.Dynamic{V: map[string]any{
			"b": []any{json.Number("1"), json.Number("12345678901234567890"), nil, true},
			"a": map[string]any{"c": "d"},
		}}, `{"a":{"c":"d"},"b":[1,12345678901234567890,null,true]}`},
		{"bad json.Number", json.Number("1x"), `"1x"`},
	}
	for _, tc := range tests {
		got := string(appendValue(nil, tc.in))
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("%s: %s is not valid JSON", tc.name, got)
		}
	}
}

func TestTypeNames(t *testing.T) {
	want := map[engine.Type]string{
		engine.TString: "String", engine.TLong: "Int64", engine.TInt: "Int32", engine.TReal: "Double",
		engine.TBool: "Boolean", engine.TDateTime: "DateTime", engine.TTimespan: "TimeSpan",
		engine.TGUID: "Guid", engine.TDynamic: "Object",
	}
	for typ, name := range want {
		if got := typeName(typ); got != name {
			t.Errorf("typeName(%s) = %s, want %s", typ, got, name)
		}
	}
}

func TestAppendResultStopsAtLimit(t *testing.T) {
	cols := []engine.Column{{Name: "S", Type: engine.TString}}
	rows := make([][]engine.Value, 1000)
	for i := range rows {
		rows[i] = []engine.Value{"0123456789"}
	}
	b, ok := appendResult(nil, graphKeys, cols, rows, 1<<20)
	if !ok || !json.Valid(append(append([]byte("{"), b...), '}')) {
		t.Fatalf("full result: ok=%v, %s", ok, trim(b))
	}
	b, ok = appendResult(nil, graphKeys, cols, rows, 500)
	if ok {
		t.Fatal("a result larger than the limit was accepted")
	}
	if len(b) > 600 {
		t.Errorf("encoding went on to %d bytes past a 500-byte limit", len(b))
	}
}
