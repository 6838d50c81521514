package hunting

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// referenceResults reads body with encoding/json, token by token, as the
// hunting APIs' documents are defined: one object whose "results" member
// (either case, once) is null or an array of objects. It returns each
// row's members decoded with UseNumber; a repeated name keeps its last
// value.
func referenceResults(body []byte) ([]map[string]any, error) {
	if !json.Valid(body) {
		return nil, errors.New("not valid JSON")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.Token() // {
	var results json.RawMessage
	found := 0
	for dec.More() {
		tok, _ := dec.Token()
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if strings.EqualFold(tok.(string), "results") {
			found++
			results = v
		}
	}
	if found != 1 {
		return nil, errors.New("no single results member")
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(results, &rows); err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, r := range rows {
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(r))
		d.UseNumber()
		if err := d.Decode(&m); err != nil || m == nil {
			return nil, errors.New("a row is not an object")
		}
		out = append(out, m)
	}
	return out, nil
}

// FuzzDecodeResults checks decodeResults against encoding/json: the same
// bodies are refused, and an accepted body yields the same rows, each
// member's value equal once decoded.
func FuzzDecodeResults(f *testing.F) {
	for _, s := range []string{
		`{"results":[{"A":"x","N":1},{"N":2,"A":"y"},{"A":"z"},{"A":"z","N":3,"B":[1,{"c":"]"}]}]}`,
		`{"@odata.context":"c","schema":[{"name":"A","type":"String"}],"results":[{"A":"x\"y","A":"dup"}]}`,
		`{"Stats":{"x":[1,2,{"y":[]}]},"Results":[{"A":1.50e3,"B":true,"C":null,"D":"\u00e9\ud83d\ude00"}],"Schema":[]}`,
		`{"results":null}`, `{"results":[]}`, `{"results":[{}, {"A":1}, {}]}`, `{"results":[null]}`, `{"results":[1]}`,
		`{"results":[],"Results":[]}`, `{"schema":[]}`, `[1]`, `{"results":[{"A":1}]} x`, `{"results":[{"A":1},{"A"`,
		" {\"results\" : [ { \"A\" : \"\xff\" , \"\\u0041\" : 2 } ] } \n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		want, wantErr := referenceResults(body)
		var got []Row
		_, err := decodeResults(bytes.NewReader(body), func(r Row) error { got = append(got, r); return nil })
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("decodeResults(%q): error %v; encoding/json: %v", body, err, wantErr)
		}
		if err != nil {
			brokeOff := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
			if brokeOff == malformed(err) {
				t.Fatalf("decodeResults(%q): %v is both or neither malformed and broken off", body, err)
			}
			return
		}
		if len(got) != len(want) {
			t.Fatalf("decodeResults(%q): %d rows, encoding/json %d", body, len(got), len(want))
		}
		for i, r := range got {
			if len(r.cols.index) != len(want[i]) {
				t.Fatalf("row %d of %q: names %v, encoding/json %v", i, body, r.cols.names, want[i])
			}
			for name, w := range want[i] {
				d := json.NewDecoder(strings.NewReader(r.Value(name)))
				d.UseNumber()
				var v any
				if err := d.Decode(&v); err != nil || !reflect.DeepEqual(v, w) {
					t.Fatalf("row %d of %q, %q: %q (%v), encoding/json %#v", i, body, name, r.Value(name), err, w)
				}
			}
		}
	})
}
