package defender

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

func TestDecodeValue(t *testing.T) {
	str := &schema.Column{Name: "S", Type: schema.String}
	jsonText := &schema.Column{Name: "A", Type: schema.String, JSONText: true}
	dyn := &schema.Column{Name: "D", Type: schema.Dynamic}
	long := &schema.Column{Name: "L", Type: schema.Long}
	real := &schema.Column{Name: "R", Type: schema.Real}
	boolean := &schema.Column{Name: "B", Type: schema.Bool}
	dt := &schema.Column{Name: "T", Type: schema.DateTime}
	guid := &schema.Column{Name: "G", Type: schema.GUID}

	for _, tc := range []struct {
		name string
		col  *schema.Column
		raw  string
		want any
	}{
		{"empty string is NULL", str, `""`, nil},
		{"string", str, `"cmd.exe /c \"x\""`, `cmd.exe /c "x"`},
		{"missing value is NULL", str, ``, nil},
		{"JSON null is NULL", long, `null`, nil},
		{"long above 2^53 exact", long, `9007199254740993`, int64(9007199254740993)},
		{"long max", long, `9223372036854775807`, int64(math.MaxInt64)},
		{"negative long", long, `-42`, int64(-42)},
		{"long as string", long, `"12"`, int64(12)},
		{"real", real, `1.5`, 1.5},
		{"bool", boolean, `true`, true},
		{"bool as number", boolean, `0`, false},
		{"guid", guid, `"74be27de-1e4e-49d9-b579-fe0b331d3642"`, "74be27de-1e4e-49d9-b579-fe0b331d3642"},
		{"datetime with 7 digits", dt, `"2024-03-26T09:39:50.7688641Z"`, time.Date(2024, 3, 26, 9, 39, 50, 768864100, time.UTC)},
		{"empty JSON text is NULL", jsonText, `""`, nil},
		{"JSON text parsed", jsonText, `"{\"a\":1}"`, json.RawMessage(`{"a":1}`)},
		{"invalid JSON text kept as a JSON string", jsonText, `"{not json"`, json.RawMessage(`"{not json"`)},
		{"dynamic object", dyn, `{"k":[1,2]}`, json.RawMessage(`{"k":[1,2]}`)},
		{"dynamic string scalar", dyn, `"abc"`, json.RawMessage(`"abc"`)},
		{"dynamic object sent as text", dyn, `"{\"k\":1}"`, json.RawMessage(`{"k":1}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeValue(tc.col, tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			switch w := tc.want.(type) {
			case json.RawMessage:
				g, ok := got.(json.RawMessage)
				if !ok || string(g) != string(w) {
					t.Fatalf("got %#v (%T), want %s", got, got, w)
				}
			case time.Time:
				g, ok := got.(time.Time)
				if !ok || !g.Equal(w) {
					t.Fatalf("got %v, want %v", got, w)
				}
			default:
				if got != tc.want {
					t.Fatalf("got %#v (%T), want %#v", got, got, tc.want)
				}
			}
		})
	}
}

func TestDecodeValueRejectsGarbage(t *testing.T) {
	for _, tc := range []struct {
		col *schema.Column
		raw string
	}{
		{&schema.Column{Name: "L", Type: schema.Long}, `1.5`},
		{&schema.Column{Name: "T", Type: schema.DateTime}, `"yesterday"`},
		{&schema.Column{Name: "B", Type: schema.Bool}, `"maybe"`},
	} {
		if _, err := decodeValue(tc.col, tc.raw); err == nil {
			t.Errorf("%s %s: no error", tc.col.Type, tc.raw)
		}
	}
}

func TestRealSpecialValues(t *testing.T) {
	c := &schema.Column{Name: "R", Type: schema.Real}
	v, err := decodeValue(c, `"NaN"`)
	if err != nil || !math.IsNaN(v.(float64)) {
		t.Fatalf("NaN: %v %v", v, err)
	}
	v, err = decodeValue(c, `"-Infinity"`)
	if err != nil || !math.IsInf(v.(float64), -1) {
		t.Fatalf("-Inf: %v %v", v, err)
	}
}

// FuzzUnquote checks the fast path of unquote against encoding/json.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`""`, `"abc"`, `"a\"b"`, `"\u00e9"`, `"C:\\Windows\\x.exe"`, `"\ud83d\ude00"`, `"\ud800x"`, `"\udc00\ud800"`, `"a\/b\t\n\u0000"`, "\"\xff\"", "\"a\x01\"", `"é😀"`, `"a\\b"`, `"x`, `1`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want string
		wantErr := json.Unmarshal(raw, &want)
		if _, ok := any(wantErr).(*json.UnmarshalTypeError); ok || wantErr != nil && !json.Valid(raw) {
			return // not a JSON string: callers only pass JSON values they checked
		}
		got, err := unquote(string(raw))
		if (err != nil) != (wantErr != nil) || got != want {
			t.Fatalf("unquote(%q) = %q, %v; want %q, %v", raw, got, err, want, wantErr)
		}
	})
}
