package engine

import (
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

func isNumeric(t Type) bool { return t == TInt || t == TLong || t == TReal }

// promote returns the wider of two numeric types: int → long → real.
func promote(a, b Type) Type {
	switch {
	case a == TReal || b == TReal:
		return TReal
	case a == TLong || b == TLong:
		return TLong
	}
	return TInt
}

// toFloat widens an int64 or float64 value.
func toFloat(v Value) float64 {
	if i, ok := v.(int64); ok {
		return float64(i)
	}
	return v.(float64)
}

// dynScalar unwraps a dynamic JSON scalar into an engine value: numbers
// become int64 or float64, strings and bools stay. Arrays and bags are
// returned as Dynamic; JSON null as nil.
func dynScalar(d Dynamic) Value {
	switch x := d.V.(type) {
	case nil:
		return nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case float64:
		return x
	case int64:
		return x
	case string, bool:
		return x
	}
	return d
}

// cmpFloat compares two reals; NaN is incomparable.
func cmpFloat(a, b float64) (int, bool) {
	if math.IsNaN(a) || math.IsNaN(b) {
		return 0, false
	}
	return cmp.Compare(a, b), true
}

// cmpAny orders two non-null values whose static types were already
// checked as comparable. It reports false when they cannot be ordered: a
// NaN, or a dynamic value of the wrong kind.
func cmpAny(a, b Value) (int, bool) {
	if d, ok := a.(Dynamic); ok {
		if e, ok := b.(Dynamic); ok {
			return cmpDynamic(d, e)
		}
		if a = dynScalar(d); a == nil {
			return 0, false
		}
	}
	if d, ok := b.(Dynamic); ok {
		if b = dynScalar(d); b == nil {
			return 0, false
		}
	}
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y), true
		case float64:
			return cmpFloat(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case int64:
			return cmpFloat(x, float64(y))
		case float64:
			return cmpFloat(x, y)
		}
	case string:
		switch y := b.(type) {
		case string:
			return strings.Compare(x, y), true
		case GUID:
			return strings.Compare(lowerASCII(x), string(y)), true
		case time.Time:
			if t, ok := parseISO(x); ok {
				return t.Compare(y), true
			}
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp.Compare(b2i(x), b2i(y)), true
		}
	case time.Time:
		switch y := b.(type) {
		case time.Time:
			return x.Compare(y), true
		case string:
			if t, ok := parseISO(y); ok {
				return x.Compare(t), true
			}
		}
	case time.Duration:
		if y, ok := b.(time.Duration); ok {
			return cmp.Compare(x, y), true
		}
	case GUID:
		switch y := b.(type) {
		case GUID:
			return strings.Compare(string(x), string(y)), true
		case string:
			return strings.Compare(string(x), lowerASCII(y)), true
		}
	}
	return 0, false
}

// cmpDynamic orders two dynamic values: scalars by value, composites by
// their JSON text.
func cmpDynamic(a, b Dynamic) (int, bool) {
	x, y := dynScalar(a), dynScalar(b)
	if x == nil || y == nil {
		return 0, false
	}
	_, xc := x.(Dynamic)
	_, yc := y.(Dynamic)
	if xc || yc {
		if xc && yc {
			return strings.Compare(jsonText(a.V), jsonText(b.V)), true
		}
		return 0, false
	}
	return cmpAny(x, y)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonText renders v as compact JSON without HTML escaping.
func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// formatDatetime renders a datetime as Kusto does: 7 fractional digits and Z.
func formatDatetime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// formatTimespan renders a timespan as [-][d.]hh:mm:ss[.fffffff].
func formatTimespan(d time.Duration) string {
	ticks := int64(d / 100)
	sign := ""
	if ticks < 0 {
		sign = "-"
		ticks = -ticks
	}
	frac := ticks % 10000000
	secs := ticks / 10000000
	days := secs / 86400
	secs %= 86400
	var b strings.Builder
	b.WriteString(sign)
	if days > 0 {
		b.WriteString(strconv.FormatInt(days, 10) + ".")
	}
	b.WriteString(pad2(secs/3600) + ":" + pad2(secs/60%60) + ":" + pad2(secs%60))
	if frac > 0 {
		f := strconv.FormatInt(frac, 10)
		b.WriteString("." + strings.Repeat("0", 7-len(f)) + f)
	}
	return b.String()
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// formatReal renders a real the way .NET does for the special values.
func formatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// toString implements tostring(): strings unchanged, null as "", dynamic
// strings raw and other dynamic values as compact JSON.
func toString(v Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatReal(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return formatDatetime(x)
	case time.Duration:
		return formatTimespan(x)
	case GUID:
		return string(x)
	case Dynamic:
		if s, ok := x.V.(string); ok {
			return s
		}
		if x.V == nil {
			return ""
		}
		return jsonText(x.V)
	}
	return ""
}

// toJSON converts an engine value to the JSON form held inside a Dynamic.
func toJSON(v Value) any {
	switch x := v.(type) {
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatReal(x)
		}
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	case time.Time:
		return formatDatetime(x)
	case time.Duration:
		return formatTimespan(x)
	case GUID:
		return string(x)
	case Dynamic:
		return x.V
	}
	return v
}

// parseJSON implements parse_json on a string: "" is null, text that is
// not JSON becomes a dynamic string.
func parseJSON(s string) Value {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return Dynamic{V: s}
	}
	if v == nil {
		return nil
	}
	return Dynamic{V: v}
}
