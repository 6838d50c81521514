package hunting

import (
	"encoding/json"
	"fmt"
)

// rowDecoder turns one row object, already validated by json.Decoder, into
// a Row. Values are sub-slices of the row's own bytes (one allocation per
// row), and column names are interned, since every row repeats them.
type rowDecoder struct {
	names map[string]string
}

func newRowDecoder() *rowDecoder { return &rowDecoder{names: make(map[string]string)} }

// decode splits raw, a valid JSON value, into its members. It returns nil
// for JSON null and an error for anything that is not an object.
func (d *rowDecoder) decode(raw []byte) (Row, error) {
	i := skipSpace(raw, 0)
	if i < len(raw) && raw[i] == 'n' {
		return nil, nil
	}
	if i >= len(raw) || raw[i] != '{' {
		return nil, fmt.Errorf("result row is not a JSON object")
	}
	row := make(Row, len(d.names))
	i = skipSpace(raw, i+1)
	if raw[i] == '}' {
		return row, nil
	}
	for {
		end := stringEnd(raw, i)
		name, err := d.name(raw[i:end])
		if err != nil {
			return nil, err
		}
		i = skipSpace(raw, end) // at ':'
		i = skipSpace(raw, i+1) // at the value
		j := valueEnd(raw, i)
		row[name] = json.RawMessage(raw[i:j:j])
		i = skipSpace(raw, j) // at ',' or '}'
		if raw[i] == '}' {
			return row, nil
		}
		i = skipSpace(raw, i+1)
	}
}

// name returns the interned column name for a quoted JSON string.
func (d *rowDecoder) name(quoted []byte) (string, error) {
	if s, ok := d.names[string(quoted)]; ok {
		return s, nil
	}
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		return "", err
	}
	d.names[string(quoted)] = s
	return s, nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// valueEnd returns the index just past the value that starts at b[i].
func valueEnd(b []byte, i int) int {
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
