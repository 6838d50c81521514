// Package sqlout writes query results as an aligned text table, CSV, a
// JSON array or JSON lines.
package sqlout

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Table Format = "table" // aligned columns in a box; NULL shows as <null>
	CSV   Format = "csv"   // a header line, then RFC 4180 rows; NULL is empty
	JSON  Format = "json"  // one array of objects per result
	JSONL Format = "jsonl" // one object per line
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Table, CSV, JSON, JSONL:
		return f, nil
	}
	return "", fmt.Errorf("unknown output format %q: use table, csv, json or jsonl", s)
}

// Write writes one result: column names and rows of int64, float64,
// string, []byte, bool or nil values.
func Write(w io.Writer, f Format, cols []string, rows [][]any) error {
	switch f {
	case CSV:
		return writeCSV(w, cols, rows)
	case JSON:
		return writeJSON(w, cols, rows)
	case JSONL:
		return writeJSONL(w, cols, rows)
	}
	return writeTable(w, cols, rows)
}

// text renders a value for table and CSV output.
func text(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case []byte:
		return string(x)
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

func writeCSV(w io.Writer, cols []string, rows [][]any) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	for _, r := range rows {
		for i, v := range r {
			rec[i] = text(v, "")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// object is one row as a JSON object with the columns in order.
func object(cols []string, r []any) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c)
		v := r[i]
		if x, ok := v.([]byte); ok {
			v = string(x)
		}
		val, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func writeJSON(w io.Writer, cols []string, rows [][]any) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	for i, r := range rows {
		o, err := object(cols, r)
		if err != nil {
			return err
		}
		sep := ",\n "
		if i == 0 {
			sep = "\n "
		}
		if _, err := io.WriteString(w, sep+string(o)); err != nil {
			return err
		}
	}
	end := "\n]\n"
	if len(rows) == 0 {
		end = "]\n"
	}
	_, err := io.WriteString(w, end)
	return err
}

func writeJSONL(w io.Writer, cols []string, rows [][]any) error {
	for _, r := range rows {
		o, err := object(cols, r)
		if err != nil {
			return err
		}
		if _, err := w.Write(append(o, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// cell is a table cell: control characters become spaces so every row
// stays on one line.
func cell(v any) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text(v, "<null>"))
}

func writeTable(w io.Writer, cols []string, rows [][]any) error {
	width := make([]int, len(cols))
	for i, c := range cols {
		width[i] = displayWidth(c)
	}
	cells := make([][]string, len(rows))
	for j, r := range rows {
		cells[j] = make([]string, len(cols))
		for i, v := range r {
			s := cell(v)
			cells[j][i] = s
			width[i] = max(width[i], displayWidth(s))
		}
	}
	var b strings.Builder
	rule := func() {
		for _, n := range width {
			b.WriteString("+" + strings.Repeat("-", n+2))
		}
		b.WriteString("+\n")
	}
	line := func(vals []string, right []bool) {
		for i, s := range vals {
			pad := strings.Repeat(" ", width[i]-displayWidth(s))
			if right != nil && right[i] {
				b.WriteString("| " + pad + s + " ")
			} else {
				b.WriteString("| " + s + pad + " ")
			}
		}
		b.WriteString("|\n")
	}
	rule()
	line(cols, nil)
	rule()
	for j, r := range rows {
		right := make([]bool, len(r))
		for i, v := range r {
			switch v.(type) {
			case int64, float64:
				right[i] = true
			}
		}
		line(cells[j], right)
	}
	if len(rows) > 0 {
		rule()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// wide are the rune ranges a terminal shows two cells wide: CJK, Hangul,
// full-width forms and emoji.
var wide = [][2]rune{
	{0x1100, 0x115F}, {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F},
	{0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), r == 0x200D, r == 0xFE0F:
			continue
		case isWide(r):
			n += 2
		default:
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	for _, w := range wide {
		if r >= w[0] && r <= w[1] {
			return true
		}
	}
	return false
}
