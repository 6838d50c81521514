package pgbed

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
)

// huntingQueryTable runs the KQL of its query qual.
const huntingQueryTable = "defender_hunting_query"

// huntingQuery is one run of defender_hunting_query: the text of its
// query qual and of its timespan qual ("" for none).
type huntingQuery struct{ query, timespan string }

// quals are the quals the FDW sends for q.
func (q huntingQuery) quals() []e2e.Qual {
	out := []e2e.Qual{{Column: "query", Op: "=", Value: q.query}}
	if q.timespan != "" {
		out = append(out, e2e.Qual{Column: "timespan", Op: "=", Value: q.timespan})
	}
	return out
}

// refs is what an SQL text needs from the plugin.
type refs struct {
	tables  []string       // plugin tables named, sorted
	hunting []huntingQuery // defender_hunting_query runs
}

// references finds the plugin tables sql names (outside string literals
// and comments) and, when it names defender_hunting_query, the KQL of each
// query = '...' condition with the timespan = '...' condition, if any.
func references(sql string, tables map[string]*proto.TableSchema) (refs, error) {
	toks := tokenize(sql)
	seen := map[string]bool{}
	var r refs
	var queries, timespans []string
	for i, t := range toks {
		if t.kind == ident && tables[t.text] != nil && !seen[t.text] {
			seen[t.text] = true
			r.tables = append(r.tables, t.text)
		}
		if t.kind != ident || i+2 >= len(toks) || toks[i+1].text != "=" || toks[i+2].kind != literal {
			continue
		}
		switch t.text {
		case "query":
			queries = append(queries, toks[i+2].text)
		case "timespan":
			timespans = append(timespans, toks[i+2].text)
		}
	}
	sort.Strings(r.tables)
	if !seen[huntingQueryTable] {
		return r, nil
	}
	if len(queries) == 0 {
		return r, fmt.Errorf("pgbed: %s needs a query = '...' condition", huntingQueryTable)
	}
	if len(timespans) > 1 {
		return r, fmt.Errorf("pgbed: %s: more than one timespan = '...' condition", huntingQueryTable)
	}
	for _, q := range queries {
		h := huntingQuery{query: q}
		if len(timespans) == 1 {
			h.timespan = timespans[0]
		}
		r.hunting = append(r.hunting, h)
	}
	return r, nil
}

// tokenKind tells identifiers, string literals and other symbols apart.
type tokenKind int

const (
	ident   tokenKind = iota // name, lower-cased unless quoted
	literal                  // string literal, unquoted
	symbol                   // one character of anything else
)

type token struct {
	kind tokenKind
	text string
}

// tokenize splits sql into identifiers, string literals and symbols,
// dropping white space and comments. It knows standard string literals and
// quoted identifiers, which is all the plugin's examples use.
func tokenize(sql string) []token {
	var out []token
	isStart := func(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
	isPart := func(c byte) bool { return isStart(c) || c == '$' || (c >= '0' && c <= '9') }
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(sql[i:], "--"):
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return out
			}
			i += end + 4
		case c == '\'' || c == '"':
			text, n := quoted(sql[i:], c)
			kind := literal
			if c == '"' {
				kind = ident
			}
			out = append(out, token{kind, text})
			i += n
		case isStart(c):
			j := i + 1
			for j < len(sql) && isPart(sql[j]) {
				j++
			}
			out = append(out, token{ident, strings.ToLower(sql[i:j])})
			i = j
		default:
			out = append(out, token{symbol, string(c)})
			i++
		}
	}
	return out
}

// quoted reads the quoted text at the start of s, where a doubled quote
// stands for one, and returns it and the length read.
func quoted(s string, q byte) (string, int) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			b.WriteByte(q)
			i++
			continue
		}
		return b.String(), i + 1
	}
	return b.String(), len(s)
}
