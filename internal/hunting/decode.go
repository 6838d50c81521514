package hunting

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// formatError is a response body that is JSON but not a hunting result.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }

// decodeResults walks a response body with a token decoder and calls onRow
// for each row of its results array as soon as the row is decoded, so
// memory stays flat however many rows arrive. Top-level keys may come in
// any order and either case ("results" or "Results"); "schema",
// "@odata.context", "Stats" and any other keys are skipped. Row values stay
// raw JSON. It returns the number of rows decoded; an error from onRow is
// returned unchanged.
func decodeResults(r io.Reader, onRow func(Row) error) (int, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{', "the response is not a JSON object"); err != nil {
		return 0, err
	}
	n, seen := 0, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n, err
		}
		if key, _ := tok.(string); !strings.EqualFold(key, "results") {
			if err := skipValue(dec); err != nil {
				return n, err
			}
			continue
		}
		if seen {
			return n, &formatError{"the response has two results arrays"}
		}
		seen = true
		tok, err = dec.Token()
		if err != nil {
			return n, err
		}
		if tok == nil {
			continue
		}
		if tok != json.Delim('[') {
			return n, &formatError{"results is not an array"}
		}
		rows := newRowDecoder()
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return n, err
			}
			row, err := rows.decode(raw)
			if err != nil {
				return n, &formatError{fmt.Sprintf("result row %d: %v", n+1, err)}
			}
			if row == nil {
				return n, &formatError{fmt.Sprintf("result row %d is null", n+1)}
			}
			n++
			if err := onRow(row); err != nil {
				return n, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return n, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return n, err
	}
	if !seen {
		return n, &formatError{"the response has no results array"}
	}
	return n, nil
}

// expectDelim reads the next token and checks that it is d.
func expectDelim(dec *json.Decoder, d json.Delim, msg string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return &formatError{msg}
	}
	return nil
}

// skipValue consumes one JSON value token by token, without buffering it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// malformed reports whether a decode error means bad JSON rather than a
// connection that broke off.
func malformed(err error) bool {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var fe *formatError
	return errors.As(err, &syn) || errors.As(err, &typ) || errors.As(err, &fe)
}
