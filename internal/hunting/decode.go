package hunting

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// formatError is a response body that is JSON but not a hunting result.
type formatError struct{ msg string }

func (e *formatError) Error() string { return e.msg }

// decodeResults walks a response body with a streaming JSON decoder and
// calls onRow for each row of its results array as soon as the row is
// read, so memory stays flat however many rows arrive. The decoder checks
// the JSON grammar of the whole body in the same pass; like
// encoding/json, it takes repeated member names and invalid UTF-8 (which a
// string value decodes to U+FFFD). Top-level keys may come in any order
// and either case ("results" or "Results"); "schema", "@odata.context",
// "Stats" and any other keys are skipped. Row values stay raw JSON. It
// returns the number of rows decoded; an error from onRow is returned
// unchanged.
func decodeResults(r io.Reader, onRow func(Row) error) (int, error) {
	dec := jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if err := expectKind(dec, '{', "the response is not a JSON object"); err != nil {
		return 0, err
	}
	n, seen := 0, false
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return n, err
		}
		if !strings.EqualFold(tok.String(), "results") {
			if err := dec.SkipValue(); err != nil {
				return n, err
			}
			continue
		}
		if seen {
			return n, &formatError{"the response has two results arrays"}
		}
		seen = true
		if dec.PeekKind() == 'n' {
			if _, err := dec.ReadToken(); err != nil {
				return n, err
			}
			continue
		}
		if err := expectKind(dec, '[', "results is not an array"); err != nil {
			return n, err
		}
		rows := newRowDecoder()
		for dec.PeekKind() != ']' {
			raw, err := dec.ReadValue()
			if err != nil {
				return n, err
			}
			row, err := rows.decode(string(raw))
			if err != nil {
				return n, &formatError{fmt.Sprintf("result row %d: %v", n+1, err)}
			}
			if row.cols == nil {
				return n, &formatError{fmt.Sprintf("result row %d is null", n+1)}
			}
			n++
			if err := onRow(row); err != nil {
				return n, err
			}
		}
		if _, err := dec.ReadToken(); err != nil {
			return n, err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return n, err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		if err == nil {
			err = &formatError{"the response has more after its JSON object"}
		}
		return n, err
	}
	if !seen {
		return n, &formatError{"the response has no results array"}
	}
	return n, nil
}

// expectKind reads the next token and checks that it is of kind k. A
// token of another kind is a formatError with msg.
func expectKind(dec *jsontext.Decoder, k jsontext.Kind, msg string) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != k {
		return &formatError{msg}
	}
	return nil
}

// malformed reports whether a decode error means bad JSON rather than a
// connection that broke off.
func malformed(err error) bool {
	var syn *jsontext.SyntacticError
	var fe *formatError
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return false
	}
	return errors.As(err, &syn) || errors.As(err, &fe)
}
