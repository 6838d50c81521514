package defender

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// columnValue is the transform of every Defender column: it decodes the
// column's raw JSON value from the row as the column's type. A Kusto string
// is never null, so an empty string becomes SQL NULL.
func columnValue(_ context.Context, d *transform.TransformData) (any, error) {
	r, ok := d.HydrateItem.(*row)
	if !ok {
		return nil, nil
	}
	c := d.Param.(*schema.Column)
	v, err := decodeValue(c, r.values.Value(c.Name))
	if err != nil {
		return nil, fmt.Errorf("column %s: %w", c.Name, err)
	}
	return v, nil
}

// decodeValue converts one raw JSON value from a hunting response, as
// hunting.Row.Value gives it (no space around it), to the Go value of
// column c's SQL type. A plain string value is a substring of raw, not a
// copy.
func decodeValue(c *schema.Column, raw string) (any, error) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	switch {
	case c.Type == schema.Dynamic:
		return dynamicValue(raw), nil
	case c.JSONText:
		return jsonTextValue(raw)
	}
	switch c.Type {
	case schema.DateTime:
		s, err := unquote(raw)
		if err != nil || s == "" {
			return nil, err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("unexpected datetime %q", s)
		}
		return t.UTC(), nil
	case schema.Long, schema.Int:
		s := raw
		if raw[0] == '"' {
			var err error
			if s, err = unquote(raw); err != nil || s == "" {
				return nil, err
			}
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("unexpected integer %s", raw)
		}
		return n, nil
	case schema.Real:
		return realValue(raw)
	case schema.Bool:
		switch raw {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("unexpected bool %s", raw)
	}
	// string and guid
	s, err := unquote(raw)
	if err != nil {
		// A non-string value in a string column: keep its JSON text.
		return raw, nil
	}
	if s == "" {
		return nil, nil
	}
	return s, nil
}

// realValue decodes a real, including the NaN and infinity spellings a
// JSON encoder has to use.
func realValue(raw string) (any, error) {
	if raw[0] == '"' {
		s, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "Infinity", "+Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		case "":
			return nil, nil
		}
		raw = s
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return nil, fmt.Errorf("unexpected real %s", raw)
	}
	return f, nil
}

// dynamicValue keeps a dynamic value as JSON. Some APIs send dynamic
// objects and arrays as JSON text inside a string; those are unwrapped.
func dynamicValue(raw string) any {
	if raw[0] == '"' {
		if s, err := unquote(raw); err == nil && looksLikeJSONDocument(s) {
			return json.RawMessage(s)
		}
	}
	return json.RawMessage(raw)
}

// jsonTextValue parses a string column that holds a JSON document. An
// empty string is NULL; text that is not valid JSON is kept as a JSON
// string, so nothing is lost.
func jsonTextValue(raw string) (any, error) {
	s, err := unquote(raw)
	if err != nil {
		return json.RawMessage(raw), nil // already JSON, not a string
	}
	if s == "" {
		return nil, nil
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s), nil
	}
	return json.RawMessage(raw), nil // the JSON string itself
}

func looksLikeJSONDocument(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) > 1 && (s[0] == '{' || s[0] == '[') && json.Valid([]byte(s))
}

// unquote decodes a JSON string. Most strings have no escapes and are
// valid UTF-8: their body is the value, a substring of raw, without the
// decoder's scan. Strings with escapes (Windows paths) are unescaped by
// jsontext; encoding/json handles what it refuses (invalid UTF-8, which
// it replaces) and reports errors.
func unquote(raw string) (string, error) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		body := raw[1 : n-1]
		plain := true
		for i := 0; i < len(body); i++ {
			if c := body[i]; c == '\\' || c == '"' || c < 0x20 {
				plain = false
				break
			}
		}
		if plain && utf8.ValidString(body) {
			return body, nil
		}
		if b, err := jsontext.AppendUnquote(make([]byte, 0, n), raw); err == nil {
			return string(b), nil
		}
	}
	var s string
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return "", err
	}
	return s, nil
}
