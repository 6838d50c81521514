package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// Expect computes, with Postgres semantics, the rows a scan returns over
// every row of the simulator's table: the quals are applied as Postgres
// would (C collation, three-valued logic, NULL for empty strings,
// timestamps cut to microseconds), then the sort and the limit. Rows hold
// only the scan's columns.
func Expect(def *schema.Table, tbl *engine.Table, s Scan, tenant string) ([]Row, error) {
	var out []Row
	var err error
	tbl.Scan(func(vals []engine.Value) bool {
		var r Row
		if r, err = SQLRow(def, tbl.Columns, vals, tenant); err != nil {
			return false
		}
		keep := true
		for _, q := range s.Quals {
			var ok bool
			if ok, err = holds(q.sql(), r[q.Column]); err != nil {
				return false
			}
			if !ok {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, r)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(s.Sort) > 0 {
		sort.SliceStable(out, func(i, j int) bool {
			for _, k := range s.Sort {
				c := compareNullsLast(out[i][k.Column], out[j][k.Column])
				if k.Order == proto.SortOrder_Desc {
					c = -c
				}
				if c != 0 {
					return c < 0
				}
			}
			return false
		})
	}
	if s.Limit >= 0 && int64(len(out)) > s.Limit {
		out = out[:s.Limit]
	}
	for i, r := range out {
		p := make(Row, len(s.Columns))
		for _, c := range s.Columns {
			p[c] = r[c]
		}
		out[i] = p
	}
	return out, nil
}

// SQLRow converts one simulator row to the SQL row the plugin should
// produce.
func SQLRow(def *schema.Table, cols []engine.Column, vals []engine.Value, tenant string) (Row, error) {
	r := make(Row, len(cols)+1)
	for i, c := range cols {
		sc := def.Column(c.Name)
		if sc == nil {
			return nil, fmt.Errorf("simulator column %s.%s is not in the schema", def.Name, c.Name)
		}
		name := sc.SQLName()
		if name == "tenant_id" {
			name = "defender_tenant_id"
		}
		v, err := sqlValue(sc, vals[i])
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", def.Name, c.Name, err)
		}
		r[name] = v
	}
	if tenant == "" {
		r["tenant_id"] = nil
	} else {
		r["tenant_id"] = tenant
	}
	return r, nil
}

func sqlValue(c *schema.Column, v engine.Value) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if x == "" {
			return nil, nil
		}
		if c.JSONText {
			if json.Valid([]byte(x)) {
				return NormalizeJSON([]byte(x))
			}
			b, _ := json.Marshal(x)
			return JSON(b), nil
		}
		return x, nil
	case engine.GUID:
		return string(x), nil
	case engine.Dynamic:
		if x.V == nil {
			return nil, nil
		}
		b, err := json.Marshal(x.V)
		if err != nil {
			return nil, err
		}
		return NormalizeJSON(b)
	case time.Time:
		return pgtime.Stored(x), nil
	case int64, float64, bool:
		return x, nil
	}
	return nil, fmt.Errorf("unexpected simulator value %T", v)
}

// holds evaluates a qual on a value with Postgres semantics; NULL counts
// as false.
// holdsList evaluates v op ANY(list), or ALL for NOT IN (<>) and for a
// qual marked All, with SQL's three-valued logic: the result is true only
// when it is TRUE.
func holdsList(q Qual, list []any, v any) (bool, error) {
	all := q.All || q.Op == "<>"
	sawNull := false
	for _, e := range list {
		one := q
		one.Value, one.All = e, false
		if e == nil || v == nil {
			sawNull = true
			continue
		}
		r, err := holds(one, v)
		if err != nil {
			return false, err
		}
		if r && !all {
			return true, nil // ANY: one TRUE is enough
		}
		if !r && all {
			return false, nil // ALL: one FALSE is enough
		}
	}
	// ANY with no TRUE, or ALL with no FALSE: NULL if any element (or v)
	// was NULL, else FALSE for ANY and TRUE for ALL.
	return all && !sawNull, nil
}

func holds(q Qual, v any) (bool, error) {
	switch q.Op {
	case "is null":
		return v == nil, nil
	case "is not null":
		return v != nil, nil
	case "is true", "is not true", "is false", "is not false":
		b, ok := v.(bool)
		if v != nil && !ok {
			return false, fmt.Errorf("%s on non-boolean value %T", q.Op, v)
		}
		want := strings.HasSuffix(q.Op, "true")
		is := v != nil && b == want
		return is != strings.Contains(q.Op, " not "), nil
	}
	if list, ok := q.Value.([]any); ok {
		return holdsList(q, list, v)
	}
	if v == nil || q.Value == nil {
		return false, nil
	}
	switch q.Op {
	case "=":
		return compare(v, q.Value) == 0, nil
	case "<>":
		return compare(v, q.Value) != 0, nil
	case "<":
		return compare(v, q.Value) < 0, nil
	case "<=":
		return compare(v, q.Value) <= 0, nil
	case ">":
		return compare(v, q.Value) > 0, nil
	case ">=":
		return compare(v, q.Value) >= 0, nil
	case "~~", "!~~", "~~*", "!~~*":
		s, ok1 := v.(string)
		p, ok2 := q.Value.(string)
		if !ok1 || !ok2 {
			return false, fmt.Errorf("LIKE on non-text value %T", v)
		}
		ci := strings.HasSuffix(q.Op, "*")
		m, err := Like(s, p, ci)
		if err != nil {
			return false, err
		}
		if strings.HasPrefix(q.Op, "!") {
			return !m, nil
		}
		return m, nil
	}
	return false, fmt.Errorf("unsupported operator %q", q.Op)
}

// compareNullsLast orders NULL after every value, as Postgres does for
// ascending sorts.
func compareNullsLast(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return compare(a, b)
}

// compare orders two non-NULL values as Postgres does: text byte-wise (C
// collation), numbers numerically with NaN above everything, false before
// true, timestamps by time.
func compare(a, b any) int {
	switch x := a.(type) {
	case string:
		return strings.Compare(x, fmt.Sprint(b))
	case JSON:
		return strings.Compare(string(x), fmt.Sprint(b))
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case time.Time:
		y, _ := b.(time.Time)
		return x.Compare(y)
	case int64:
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
		return compareFloat(float64(x), toFloat(b))
	case float64:
		return compareFloat(x, toFloat(b))
	}
	return bytes.Compare([]byte(fmt.Sprint(a)), []byte(fmt.Sprint(b)))
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

func compareFloat(x, y float64) int {
	xn, yn := math.IsNaN(x), math.IsNaN(y)
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	case yn:
		return -1
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Like matches s against a Postgres LIKE pattern (escape character \);
// with ci it is ILIKE folding ASCII letters only, as under Steampipe's C
// collation.
func Like(s, pattern string, ci bool) (bool, error) {
	if ci {
		s, pattern = asciiLower(s), asciiLower(pattern)
	}
	p := []rune(pattern)
	type tok struct {
		lit  rune
		kind byte // 'l' literal, '_' any one, '%' any run
	}
	var toks []tok
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			if i+1 == len(p) {
				return false, fmt.Errorf("LIKE pattern must not end with escape character")
			}
			i++
			toks = append(toks, tok{lit: p[i], kind: 'l'})
		case '%':
			toks = append(toks, tok{kind: '%'})
		case '_':
			toks = append(toks, tok{kind: '_'})
		default:
			toks = append(toks, tok{lit: p[i], kind: 'l'})
		}
	}
	// dp[j]: pattern prefix of length j matches the string prefix so far.
	dp := make([]bool, len(toks)+1)
	dp[0] = true
	for j := 1; j <= len(toks) && toks[j-1].kind == '%'; j++ {
		dp[j] = true
	}
	for _, c := range s {
		next := make([]bool, len(toks)+1)
		for j := 1; j <= len(toks); j++ {
			switch t := toks[j-1]; t.kind {
			case '%':
				next[j] = next[j-1] || dp[j]
			case '_':
				next[j] = dp[j-1]
			default:
				next[j] = dp[j-1] && t.lit == c
			}
		}
		dp = next
	}
	return dp[len(toks)], nil
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
