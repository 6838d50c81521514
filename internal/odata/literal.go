// Package odata writes OData v4 $filter text for Microsoft Graph. It is the
// only place that turns a SQL value into filter text: every literal goes
// through String, DateTimeOffset or Enum, and every clause through Compare.
//
// The contract of each encoder is that parsing its output as an OData
// literal gives back exactly the value it was given, and that nothing in
// the value can end the literal early: a value can never add a clause,
// an operator or a parenthesis to the filter. The result is filter text,
// not URL text; the caller percent-encodes the whole $filter parameter
// (net/url does), so characters such as &, #, + and % need no care here.
package odata

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNotExact marks a value that has no exact literal. The caller must not
// push the condition (or must answer it itself).
var ErrNotExact = errors.New("odata: no exact literal")

// String encodes s as an OData string literal: between single quotes, with
// each single quote doubled (OData's only escape in string literals).
// Every other character, including control characters and characters
// outside the BMP, is copied as UTF-8. Strings that are not valid UTF-8 or
// contain NUL cannot be sent exactly and return an error wrapping
// ErrNotExact.
func String(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: string is not valid UTF-8", ErrNotExact)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", fmt.Errorf("%w: string contains NUL", ErrNotExact)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// tick is the resolution of Graph's DateTimeOffset values (.NET ticks).
const tick = 100 * time.Nanosecond

// DateTimeOffset encodes t as an OData DateTimeOffset literal, unquoted,
// in UTC with exactly seven fractional digits: 2024-03-05T07:08:09.1234560Z.
// Instants finer than 100 ns or outside the years 1 to 9999 return an error
// wrapping ErrNotExact.
func DateTimeOffset(t time.Time) (string, error) {
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return "", fmt.Errorf("%w: year %d is outside 1..9999", ErrNotExact, y)
	}
	if t.Nanosecond()%int(tick) != 0 {
		return "", fmt.Errorf("%w: instant is finer than 100ns", ErrNotExact)
	}
	return t.Format("2006-01-02T15:04:05.0000000Z"), nil
}

// Enum encodes an enumeration member the way Graph's security API takes
// it: as a string literal holding the member name ('active'). The name
// must be an OData simple identifier (a letter or underscore, then
// letters, digits or underscores, at most 128); anything else is not a
// member of any enumeration and returns an error wrapping ErrNotExact, so
// the caller knows no row can match.
func Enum(member string) (string, error) {
	if !identifier(member) {
		return "", fmt.Errorf("%w: %q is not an enumeration member name", ErrNotExact, member)
	}
	return "'" + member + "'", nil
}

// identifier reports whether s is an OData simple identifier in ASCII.
func identifier(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
