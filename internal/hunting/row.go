package hunting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Row is one result row: the undecoded JSON text of each value, so numbers
// keep their full precision. The values of a row are substrings of one
// string, so a plain JSON string's body needs no copy of its own, and the
// rows of a response whose members come in the same order share one
// column index.
type Row struct {
	cols *columns
	vals []string
}

// columns is the column index of a row: its member names in order, and
// the position of each name's value.
type columns struct {
	quoted []string // each name as the JSON text that spelled it
	names  []string
	index  map[string]int // a repeated name maps to its last value
}

// Value returns the JSON text of the named column's value, without space
// around it, or "" when the row has no such column.
func (r Row) Value(name string) string {
	if r.cols == nil {
		return ""
	}
	if i, ok := r.cols.index[name]; ok {
		return r.vals[i]
	}
	return ""
}

// MarshalJSON writes the row as a JSON object, members in the response's
// order.
func (r Row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if r.cols != nil {
		for i, q := range r.cols.quoted {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(q)
			b.WriteByte(':')
			b.WriteString(r.vals[i])
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ParseRow reads obj, one JSON object, as a Row.
func ParseRow(obj string) (Row, error) {
	if !json.Valid([]byte(obj)) {
		return Row{}, fmt.Errorf("not valid JSON: %.40q", obj)
	}
	r, err := newRowDecoder().decode(obj)
	if err == nil && r.cols == nil {
		err = fmt.Errorf("a row is a JSON object, not null")
	}
	return r, err
}

// rowDecoder splits row objects, already validated, into Rows. Column
// names are decoded once per distinct spelling, and the index of the last
// row is reused while rows repeat its names in its order.
type rowDecoder struct {
	names map[string]string
	last  *columns
}

func newRowDecoder() *rowDecoder { return &rowDecoder{names: make(map[string]string)} }

// decode splits raw, a valid JSON value, into its members. It returns a
// Row without columns for JSON null and an error for anything that is not
// an object.
func (d *rowDecoder) decode(raw string) (Row, error) {
	i := skipSpace(raw, 0)
	if i < len(raw) && raw[i] == 'n' {
		return Row{}, nil
	}
	if i >= len(raw) || raw[i] != '{' {
		return Row{}, fmt.Errorf("result row is not a JSON object")
	}
	n := 8
	if d.last != nil {
		n = len(d.last.names)
	}
	vals := make([]string, 0, n)
	cols, same := d.last, d.last != nil
	var quoted []string
	i = skipSpace(raw, i+1)
	if raw[i] != '}' {
		for {
			end := stringEnd(raw, i)
			name := raw[i:end]
			if same && (len(vals) >= len(cols.quoted) || cols.quoted[len(vals)] != name) {
				same = false
				quoted = append(quoted, cols.quoted[:len(vals)]...)
			}
			if !same {
				quoted = append(quoted, name)
			}
			i = skipSpace(raw, end) // at ':'
			i = skipSpace(raw, i+1) // at the value
			j := valueEnd(raw, i)
			vals = append(vals, raw[i:j])
			i = skipSpace(raw, j) // at ',' or '}'
			if raw[i] == '}' {
				break
			}
			i = skipSpace(raw, i+1)
		}
	}
	if same && len(vals) == len(cols.quoted) {
		return Row{cols: cols, vals: vals}, nil
	}
	if same { // a prefix of the last row's names
		quoted = cols.quoted[:len(vals)]
	}
	cols, err := d.index(quoted)
	if err != nil {
		return Row{}, err
	}
	d.last = cols
	return Row{cols: cols, vals: vals}, nil
}

// index builds the column index of a row whose names are spelled quoted.
func (d *rowDecoder) index(quoted []string) (*columns, error) {
	c := &columns{quoted: quoted, names: make([]string, len(quoted)), index: make(map[string]int, len(quoted))}
	for i, q := range quoted {
		name, ok := d.names[q]
		if !ok {
			if err := json.Unmarshal([]byte(q), &name); err != nil {
				return nil, err
			}
			d.names[q] = name
		}
		c.names[i] = name
		c.index[name] = i
	}
	return c, nil
}

func skipSpace(b string, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts at b[i]:
// the first quote after it with an even number of backslashes before it.
func stringEnd(b string, i int) int {
	for i++; ; i++ {
		j := strings.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		k := i
		for b[k-1] == '\\' {
			k--
		}
		if (i-k)%2 == 0 {
			return i + 1
		}
	}
}

// valueEnd returns the index just past the value that starts at b[i].
func valueEnd(b string, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
	}
	return i
}
