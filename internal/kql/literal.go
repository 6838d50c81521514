package kql

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// errType marks a Go value whose type does not fit the column: a bug in the
// caller, not a value that merely cannot be pushed.
var errType = errors.New("value type does not match column type")

// Literal encodes v as a KQL literal of column type t. It is the only place
// that turns a SQL value into query text.
//
// Strings (and guid columns, which are compared as text) become a
// double-quoted literal; int64 becomes long(N); float64 becomes an
// exponent-form real; bool becomes true or false; time.Time becomes
// datetime(...) with seven fractional digits in UTC. Values that have no
// exact literal (invalid UTF-8, NUL, NaN, infinities, years outside
// 1..9999, sub-100ns instants) return an error wrapping ErrNotExact.
func Literal(v any, t schema.Type) (string, error) {
	switch t {
	case schema.String, schema.GUID:
		s, ok := v.(string)
		if !ok {
			return "", typeError(v, t)
		}
		return stringLiteral(s)
	case schema.Long, schema.Int:
		n, ok := v.(int64)
		if !ok {
			return "", typeError(v, t)
		}
		return "long(" + strconv.FormatInt(n, 10) + ")", nil
	case schema.Real:
		f, ok := v.(float64)
		if !ok {
			return "", typeError(v, t)
		}
		return realLiteral(f)
	case schema.Bool:
		b, ok := v.(bool)
		if !ok {
			return "", typeError(v, t)
		}
		return strconv.FormatBool(b), nil
	case schema.DateTime:
		ts, ok := v.(time.Time)
		if !ok {
			return "", typeError(v, t)
		}
		return datetimeLiteral(ts)
	}
	return "", fmt.Errorf("%w: no literal form for %s columns", ErrNotExact, t)
}

func typeError(v any, t schema.Type) error {
	return fmt.Errorf("kql: %w: %T for a %s column", errType, v, t)
}

// stringLiteral writes s as "..." after checking that Kusto can hold it.
func stringLiteral(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: string is not valid UTF-8", ErrNotExact)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", fmt.Errorf("%w: string contains NUL", ErrNotExact)
	}
	return quote(s, '"'), nil
}

// quote writes s between q quotes with backslash escapes: the quote and the
// backslash are escaped, control, line-separator and BOM code points become
// \uXXXX, and everything else is copied as UTF-8. Invalid bytes come out as
// U+FFFD, so the result is always one well-formed literal.
func quote(s string, q rune) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteRune(q)
	for _, r := range s {
		switch {
		case r == q || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteRune(q)
	return b.String()
}

// needsEscape reports whether r is written as \uXXXX: C0 controls, DEL, C1
// controls, the Unicode line and paragraph separators and the BOM.
func needsEscape(r rune) bool {
	return r < 0x20 || (r >= 0x7F && r <= 0x9F) || r == 0x2028 || r == 0x2029 || r == 0xFEFF
}

// realLiteral writes f in exponent form, which always lexes as a real;
// negative values are parenthesised because KQL has no negative literals.
func realLiteral(f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("%w: real value %v", ErrNotExact, f)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	if strings.HasPrefix(s, "-") {
		return "(" + s + ")", nil
	}
	return s, nil
}

// tick is Kusto's datetime resolution.
const tick = 100 * time.Nanosecond

// datetimeLiteral writes t in UTC with exactly seven fractional digits.
func datetimeLiteral(t time.Time) (string, error) {
	t = t.UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return "", fmt.Errorf("%w: year %d is outside 1..9999", ErrNotExact, y)
	}
	if t.Nanosecond()%int(tick) != 0 {
		return "", fmt.Errorf("%w: instant is finer than 100ns", ErrNotExact)
	}
	return "datetime(" + t.Format("2006-01-02T15:04:05.0000000") + "Z)", nil
}

// Ident quotes a table or column name as ['name']. It always brackets, so
// keywords and non-ASCII names are safe, and it cannot produce anything but
// one identifier whatever bytes name holds.
func Ident(name string) string {
	return "[" + quote(name, '\'') + "]"
}
