package hunting

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func decodeAll(t *testing.T, body string) ([]Row, error) {
	t.Helper()
	var rows []Row
	_, err := decodeResults(strings.NewReader(body), func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

func TestDecodeKeyOrderAndCase(t *testing.T) {
	for name, body := range map[string]string{
		"graph, schema first":  `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#x","schema":[{"name":"A","type":"String"}],"results":[{"A":"x","N":1},{"A":"y","N":2}]}`,
		"graph, results first": `{"results":[{"A":"x","N":1},{"A":"y","N":2}],"schema":[{"Name":"A","Type":"String"}],"@odata.context":"c"}`,
		"mde, capitalised":     `{"Stats":{"ExecutionTime":0.1,"resource_usage":{"cpu":{"Total":1}}},"Schema":[{"Name":"A","Type":"String"}],"Results":[{"A":"x","N":1},{"A":"y","N":2}]}`,
		"mde, results first":   `{"Results":[{"A":"x","N":1},{"A":"y","N":2}],"Stats":{"x":[1,2,{"y":[]}]},"Schema":[]}`,
	} {
		t.Run(name, func(t *testing.T) {
			rows, err := decodeAll(t, body)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].Value("A") != `"x"` || rows[1].Value("N") != "2" {
				t.Fatalf("rows %v", rows)
			}
		})
	}
}

func TestDecodeKeepsRawValues(t *testing.T) {
	// 2^53+1 cannot be held by a float64; a nested dynamic value and a
	// JSON-encoded string must come through byte for byte.
	body := `{"results":[{"ReportId":9007199254740993,"Big":18446744073709551615,"R":1.50,"D":{"a":[1,2]},"S":"{\"k\":1}","Z":null}]}`
	rows, err := decodeAll(t, body)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ReportId": "9007199254740993", "Big": "18446744073709551615", "R": "1.50",
		"D": `{"a":[1,2]}`, "S": `"{\"k\":1}"`, "Z": "null"}
	for k, v := range want {
		if got := rows[0].Value(k); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
}

func TestDecodeEdgeCases(t *testing.T) {
	if rows, err := decodeAll(t, `{"schema":[],"results":null}`); err != nil || len(rows) != 0 {
		t.Errorf("null results: %v %v", rows, err)
	}
	if rows, err := decodeAll(t, `{"results":[]}`); err != nil || len(rows) != 0 {
		t.Errorf("empty results: %v %v", rows, err)
	}
	for name, body := range map[string]string{
		"no results":     `{"schema":[]}`,
		"not an object":  `[1,2]`,
		"row not object": `{"results":[1]}`,
		"null row":       `{"results":[null]}`,
		"truncated":      `{"results":[{"A":1},{"A"`,
		"html":           `<html>504</html>`,
		"two results":    `{"results":[],"Results":[]}`,
	} {
		if _, err := decodeAll(t, body); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := decodeAll(t, ""); !errors.Is(err, io.EOF) {
		t.Errorf("empty body: %v", err)
	}
}

func TestDecodeStopsWithCallbackError(t *testing.T) {
	n := 0
	got, err := decodeResults(strings.NewReader(`{"results":[{"A":1},{"A":2},{"A":3}]}`), func(Row) error {
		if n++; n == 2 {
			return ErrStop
		}
		return nil
	})
	if err != ErrStop || got != 2 {
		t.Fatalf("got %d, %v", got, err)
	}
}

// TestDecodeStreams proves rows are emitted before the body ends: the
// reader blocks after the first row until the callback has seen it.
func TestDecodeStreams(t *testing.T) {
	pr, pw := io.Pipe()
	seen := make(chan Row, 1)
	done := make(chan error, 1)
	go func() {
		_, err := decodeResults(pr, func(r Row) error { seen <- r; return nil })
		done <- err
	}()
	go pw.Write([]byte(`{"results":[{"A":1},`))
	first := <-seen
	if first.Value("A") != "1" {
		t.Fatalf("first row %v", first)
	}
	go func() {
		pw.Write([]byte(`{"A":2}]}`))
		pw.Close()
	}()
	if r := <-seen; r.Value("A") != "2" {
		t.Fatalf("second row %v", r)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestParseErrorBody(t *testing.T) {
	for _, tc := range []struct{ body, code, msg, id string }{
		{`{"error":{"code":"BadRequest","message":"bad","innerError":{"request-id":"r1"}}}`, "BadRequest", "bad", "r1"},
		{`{"error":{"code":"Forbidden","message":"no","target":"t1"}}`, "Forbidden", "no", "t1"},
		{`{"Error":{"Code":"X","Message":"y"}}`, "X", "y", ""},
		{"<html><body><h1>502 Bad\nGateway</h1></body></html>", "", "502 Bad Gateway", ""},
		{`{"error":"invalid_grant"}`, "", `{"error":"invalid_grant"}`, ""},
		{"upstream said: a < b", "", "upstream said: a < b", ""},
	} {
		code, msg, id := ParseErrorBody([]byte(tc.body))
		if code != tc.code || msg != tc.msg || id != tc.id {
			t.Errorf("%s: got %q %q %q", tc.body, code, msg, id)
		}
	}
}
