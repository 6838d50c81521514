package engine

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// minTime and maxTime bound the datetime type (0001-01-01 .. 9999-12-31 23:59:59.9999999).
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC)
)

// typeAliases maps a typed-literal keyword to its scalar type.
var typeAliases = map[string]Type{
	"datetime": TDateTime, "date": TDateTime, "timespan": TTimespan, "time": TTimespan,
	"guid": TGUID, "uuid": TGUID, "long": TLong, "int": TInt, "real": TReal, "double": TReal,
	"bool": TBool, "boolean": TBool,
}

// typedLiteral decodes the inside of a typed literal such as datetime(...).
func typedLiteral(t token) (Value, Type, error) {
	typ, ok := typeAliases[t.text]
	if !ok {
		return nil, "", unsupportedErr(t.pos, "the "+t.text+" type")
	}
	raw := strings.TrimSpace(t.raw)
	if raw == "null" {
		return nil, typ, nil
	}
	bad := func(format string, args ...any) (Value, Type, error) {
		return nil, "", syntaxErr(t.pos, t.text+"("+t.raw+")", format, args...)
	}
	switch typ {
	case TDateTime:
		d, err := parseDatetimeLiteral(raw)
		if err != nil {
			return bad("%v", err)
		}
		return d, typ, nil
	case TTimespan:
		d, err := parseTimespanLiteral(raw)
		if err != nil {
			return bad("%v", err)
		}
		return d, typ, nil
	case TGUID:
		g, ok := guidAt(raw)
		if !ok || len(raw) != 36 {
			return bad("malformed guid")
		}
		return GUID(strings.ToLower(g)), typ, nil
	case TLong, TInt:
		n, err := parseIntLiteral(raw)
		if err != nil {
			return bad("malformed %s literal", typ)
		}
		if typ == TInt && (n < math.MinInt32 || n > math.MaxInt32) {
			return bad("int literal out of range")
		}
		return n, typ, nil
	case TReal:
		f, err := parseRealLiteral(raw)
		if err != nil {
			return bad("malformed real literal")
		}
		return f, typ, nil
	case TBool:
		switch raw {
		case "true", "True", "TRUE":
			return true, typ, nil
		case "false", "False", "FALSE":
			return false, typ, nil
		}
		return bad("malformed bool literal")
	}
	return bad("unknown type")
}

// parseIntLiteral reads an optionally signed decimal or hex integer.
func parseIntLiteral(s string) (int64, error) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil {
			return 0, err
		}
		if neg {
			return -int64(u), nil
		}
		return int64(u), nil
	}
	if s == "" || !isDigit(s[0]) {
		return 0, fmt.Errorf("not a number")
	}
	if neg {
		s = "-" + s
	}
	return strconv.ParseInt(s, 10, 64)
}

// parseRealLiteral reads a real, including nan, inf, +inf and -inf.
func parseRealLiteral(s string) (float64, error) {
	switch s {
	case "nan":
		return math.NaN(), nil
	case "inf", "+inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 || body == "" || !(isDigit(body[0]) || body[0] == '.') {
		return 0, fmt.Errorf("not a number")
	}
	for i := 0; i < len(body); i++ {
		if !strings.ContainsRune("0123456789.eE+-", rune(body[i])) {
			return 0, fmt.Errorf("not a number")
		}
	}
	return strconv.ParseFloat(s, 64)
}

// isoDatetime matches the ISO 8601 forms the simulator accepts.
var isoDatetime = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})?)?$`)

// parseDatetimeLiteral reads the inside of datetime(...): ISO 8601, a quoted
// ISO 8601 string, min or max. Other formats are rejected on purpose.
func parseDatetimeLiteral(raw string) (time.Time, error) {
	switch raw {
	case "min":
		return minTime, nil
	case "max":
		return maxTime, nil
	}
	if len(raw) >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[len(raw)-1] == raw[0] {
		raw = raw[1 : len(raw)-1]
	}
	t, ok := parseISO(raw)
	if !ok {
		return time.Time{}, fmt.Errorf("datetime literal must be ISO 8601 (yyyy-mm-ddThh:mm:ss.fffffffZ)")
	}
	return t, nil
}

// parseISO parses an ISO 8601 datetime into UTC with 100 ns resolution.
func parseISO(s string) (time.Time, bool) {
	m := isoDatetime.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	num := func(i int) int {
		if m[i] == "" {
			return 0
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	y, mo, d, h, mi, sec := num(1), num(2), num(3), num(4), num(5), num(6)
	frac := 0
	if m[7] != "" {
		f := m[7] + strings.Repeat("0", 7-len(m[7]))
		frac, _ = strconv.Atoi(f)
	}
	if y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, frac*100, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	if z := m[8]; z != "" && z != "Z" {
		oh, _ := strconv.Atoi(z[1:3])
		om, _ := strconv.Atoi(z[4:6])
		if oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off := time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute
		if z[0] == '+' {
			t = t.Add(-off)
		} else {
			t = t.Add(off)
		}
	}
	if t.Before(minTime) || t.After(maxTime) {
		return time.Time{}, false
	}
	return t, true
}

// clockTimespan matches [-][d.]hh:mm[:ss[.fffffff]].
var clockTimespan = regexp.MustCompile(`^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$`)

// unitTimespan matches a number with an optional unit, e.g. "15 seconds" or "2".
var unitTimespan = regexp.MustCompile(`^(-)?(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]*)$`)

// parseTimespanLiteral reads the inside of timespan(...).
func parseTimespanLiteral(raw string) (time.Duration, error) {
	if m := clockTimespan.FindStringSubmatch(raw); m != nil {
		var ticks int64
		days, _ := strconv.ParseInt(orZero(m[2]), 10, 64)
		h, _ := strconv.ParseInt(m[3], 10, 64)
		mi, _ := strconv.ParseInt(m[4], 10, 64)
		sec, _ := strconv.ParseInt(orZero(m[5]), 10, 64)
		if h > 23 || mi > 59 || sec > 59 || days > 10675199 {
			return 0, fmt.Errorf("malformed timespan literal")
		}
		frac := int64(0)
		if m[6] != "" {
			frac, _ = strconv.ParseInt(m[6]+strings.Repeat("0", 7-len(m[6])), 10, 64)
		}
		ticks = ((days*24+h)*60+mi)*60*10000000 + sec*10000000 + frac
		if m[1] == "-" {
			ticks = -ticks
		}
		return time.Duration(ticks) * 100, nil
	}
	m := unitTimespan.FindStringSubmatch(raw)
	if m == nil {
		return 0, fmt.Errorf("malformed timespan literal")
	}
	per := timespanUnits["d"]
	if m[3] != "" {
		var ok bool
		if per, ok = timespanUnits[m[3]]; !ok {
			return 0, fmt.Errorf("unknown timespan unit %q", m[3])
		}
	}
	ticks, err := scaleDecimal(m[2], per)
	if err != nil {
		return 0, err
	}
	if m[1] == "-" {
		ticks = -ticks
	}
	return time.Duration(ticks) * 100, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// maxTicks is the largest timespan that fits a time.Duration, in ticks.
const maxTicks = math.MaxInt64 / 100

// scaleDecimal multiplies the decimal text num by per exactly and truncates
// to whole ticks.
func scaleDecimal(num string, per int64) (int64, error) {
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("malformed timespan literal")
	}
	r.Mul(r, new(big.Rat).SetInt64(per))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if !q.IsInt64() || q.Int64() > maxTicks {
		return 0, fmt.Errorf("timespan literal out of range")
	}
	return q.Int64(), nil
}
