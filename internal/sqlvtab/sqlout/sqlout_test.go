package sqlout

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

var (
	cols = []string{"name", "n", "ratio", "note"}
	rows = [][]any{
		{"alpha", int64(7), 0.5, nil},
		{"béta, \"q\" 🔐漢", int64(-12), 1e21, []byte("line1\nline2")},
	}
)

func write(t *testing.T, f Format) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, cols, rows); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCSVRoundTrip(t *testing.T) {
	recs, err := csv.NewReader(strings.NewReader(write(t, CSV))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{cols, {"alpha", "7", "0.5", ""}, {"béta, \"q\" 🔐漢", "-12", "1e+21", "line1\nline2"}}
	if len(recs) != len(want) {
		t.Fatalf("%d records", len(recs))
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d: %q, want %q", i, recs[i], want[i])
		}
	}
}

func TestJSONKeepsTypesAndOrder(t *testing.T) {
	out := write(t, JSON)
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 2 || got[0]["n"] != float64(7) || got[0]["note"] != nil || got[1]["note"] != "line1\nline2" {
		t.Errorf("decoded %v", got)
	}
	if !strings.HasPrefix(out, "[\n {\"name\":\"alpha\",\"n\":7,") {
		t.Errorf("columns not in order: %s", out)
	}
	var b bytes.Buffer
	Write(&b, JSON, cols, nil)
	if b.String() != "[]\n" {
		t.Errorf("empty result: %q", b.String())
	}
}

func TestJSONLOneObjectPerLine(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(write(t, JSONL), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || len(m) != 4 {
			t.Errorf("line %q: %v", l, err)
		}
	}
}

func TestTableAligned(t *testing.T) {
	out := write(t, Table)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	width := displayWidth(lines[0])
	for _, l := range lines {
		if displayWidth(l) != width {
			t.Errorf("ragged line %q in\n%s", l, out)
		}
	}
	if !strings.Contains(lines[3], "<null>") || !strings.Contains(lines[4], "line1 line2") {
		t.Errorf("NULL or newline not rendered:\n%s", out)
	}
	if !strings.Contains(lines[3], "|  7 |") && !strings.Contains(lines[3], "|   7 |") {
		t.Errorf("numbers not right-aligned:\n%s", out)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"table", "CSV", "json", "jsonl"} {
		if _, err := ParseFormat(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "é": 1, "e\u0301": 1, "漢字": 4, "🔐": 2, "a🔐b": 4} {
		if got := displayWidth(s); got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
}

func TestTableStreamsAfterSample(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, Table, []string{"v"})
	for range TableSample {
		if err := w.Row([]any{"abc"}); err != nil {
			t.Fatal(err)
		}
	}
	w.Row([]any{"abcdefgh"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if last := lines[len(lines)-2]; last != "| ab… |" {
		t.Errorf("row after the sample: %q", last)
	}
}
