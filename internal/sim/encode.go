package sim

import (
	"encoding/json"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// typeName maps a KQL type to the .NET-style type name that the hunting
// APIs report in a result schema.
func typeName(t engine.Type) string {
	switch t {
	case engine.TString:
		return "String"
	case engine.TLong:
		return "Int64"
	case engine.TInt:
		return "Int32"
	case engine.TReal:
		return "Double"
	case engine.TBool:
		return "Boolean"
	case engine.TDateTime:
		return "DateTime"
	case engine.TTimespan:
		return "TimeSpan"
	case engine.TGUID:
		return "Guid"
	case engine.TDynamic:
		return "Object"
	}
	return "String"
}

// keys names the members of a result document, which differ in case
// between Graph and MDE.
type keys struct{ schema, results, name, typ string }

var (
	graphKeys = keys{schema: "schema", results: "results", name: "name", typ: "type"}
	mdeKeys   = keys{schema: "Schema", results: "Results", name: "Name", typ: "Type"}
)

// appendResult appends `"schema":[...],"results":[...]` for the given
// columns and rows. It stops and reports false as soon as b grows beyond
// limit bytes.
func appendResult(b []byte, k keys, cols []engine.Column, rows [][]engine.Value, limit int) ([]byte, bool) {
	b = appendString(b, k.schema)
	b = append(b, ":["...)
	names := make([][]byte, len(cols))
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = appendString(b, k.name)
		b = append(b, ':')
		b = appendString(b, c.Name)
		b = append(b, ',')
		b = appendString(b, k.typ)
		b = append(b, ':')
		b = appendString(b, typeName(c.Type))
		b = append(b, '}')
		names[i] = append(appendString(nil, c.Name), ':')
	}
	b = append(b, "],"...)
	b = appendString(b, k.results)
	b = append(b, ":["...)
	start := len(b)
	for r, row := range rows {
		if r > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for i, v := range row {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, names[i]...)
			b = appendValue(b, v)
		}
		b = append(b, '}')
		if len(b) > limit {
			return b, false
		}
		if r == 0 {
			// Size the buffer once from the first row instead of letting
			// append double it (and copy it) many times.
			est := min(len(b)+(len(b)-start)*(len(rows)-1)*5/4, limit+1)
			b = slices.Grow(b, est-len(b))
		}
	}
	b = append(b, ']')
	return b, len(b) <= limit
}

// appendValue appends one value as JSON: longs as exact integers,
// datetimes as UTC with seven fractional digits, timespans as
// [-][d.]hh:mm:ss[.fffffff], dynamics as nested JSON and null as null.
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		return appendFloat(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case time.Time:
		b = append(b, '"')
		b = x.UTC().AppendFormat(b, "2006-01-02T15:04:05.0000000Z")
		return append(b, '"')
	case time.Duration:
		return appendTimespan(b, x)
	case engine.GUID:
		return appendString(b, string(x))
	case engine.Dynamic:
		return appendValue(b, x.V)
	case json.Number:
		if json.Valid([]byte(x)) {
			return append(b, x...)
		}
		return appendString(b, string(x))
	case map[string]any:
		ks := make([]string, 0, len(x))
		for k := range x {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		b = append(b, '{')
		for i, k := range ks {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendValue(b, x[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, e)
		}
		return append(b, ']')
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// appendFloat writes a real. JSON has no NaN or infinity, so those are
// written as the strings Kusto uses for them.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, 64)
}

// ticksPerDay is the number of 100 ns ticks in a day.
const ticksPerDay = 24 * 60 * 60 * 10_000_000

// appendTimespan writes d in .NET's constant ("c") TimeSpan format.
func appendTimespan(b []byte, d time.Duration) []byte {
	b = append(b, '"')
	ticks := int64(d / 100)
	if ticks < 0 {
		b = append(b, '-')
		ticks = -ticks
	}
	if days := ticks / ticksPerDay; days > 0 {
		b = strconv.AppendInt(b, days, 10)
		b = append(b, '.')
	}
	rem := ticks % ticksPerDay
	secs := rem / 10_000_000
	b = append2(b, secs/3600)
	b = append(b, ':')
	b = append2(b, secs/60%60)
	b = append(b, ':')
	b = append2(b, secs%60)
	if frac := rem % 10_000_000; frac > 0 {
		b = append(b, '.')
		s := strconv.FormatInt(frac+10_000_000, 10)
		b = append(b, s[1:]...)
	}
	return append(b, '"')
}

func append2(b []byte, n int64) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Non-ASCII text is kept as
// UTF-8; control characters are escaped; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
