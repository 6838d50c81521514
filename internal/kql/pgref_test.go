package kql_test

import (
	"math"
	"time"
	"unicode/utf8"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// This file is a reference evaluator with Postgres semantics, written
// independently of the translator: it decides what SQL would return for a
// predicate over a Kusto value as the plugin presents it (convention A: a
// Kusto "" string, a null scalar and a null dynamic are all SQL NULL).

// sqlNull reports whether a Kusto value reaches SQL as NULL.
func sqlNull(v engine.Value) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	}
	return false
}

// pgTrue reports whether SQL evaluates the predicate to TRUE for v.
func pgTrue(p kql.Predicate, v engine.Value) bool {
	switch p.Op {
	case kql.IsNull:
		return sqlNull(v)
	case kql.IsNotNull:
		return !sqlNull(v)
	case kql.In:
		list := p.Value.([]any)
		if sqlNull(v) {
			return false
		}
		for _, e := range list {
			if e != nil && pgCmp(p.Type, v, e) == 0 {
				return true
			}
		}
		return false
	case kql.Distinct:
		if p.Value == nil || sqlNull(v) {
			return p.Value == nil != sqlNull(v)
		}
		return pgCmp(p.Type, v, p.Value) != 0
	case kql.LikeAny, kql.ILikeAny:
		for _, e := range p.Value.([]any) {
			if e == nil || sqlNull(v) {
				continue
			}
			if m, ok := pgLike(v.(string), e.(string), p.Op == kql.ILikeAny); ok && m {
				return true
			}
		}
		return false
	case kql.NotIn:
		list := p.Value.([]any)
		if len(list) == 0 {
			return true // <> ALL of an empty array is true even for NULL
		}
		if sqlNull(v) {
			return false
		}
		for _, e := range list {
			if e == nil || pgCmp(p.Type, v, e) == 0 {
				return false
			}
		}
		return true
	}
	if sqlNull(v) || p.Value == nil {
		return false
	}
	switch p.Op {
	case kql.Like, kql.NotLike, kql.ILike, kql.NotILike:
		fold := p.Op == kql.ILike || p.Op == kql.NotILike
		m, ok := pgLike(v.(string), p.Value.(string), fold)
		if !ok {
			panic("reference: invalid LIKE pattern")
		}
		if p.Op == kql.NotLike || p.Op == kql.NotILike {
			return !m
		}
		return m
	}
	c := pgCmp(p.Type, v, p.Value)
	switch p.Op {
	case kql.Eq:
		return c == 0
	case kql.Ne:
		return c != 0
	case kql.Lt:
		return c < 0
	case kql.Le:
		return c <= 0
	case kql.Gt:
		return c > 0
	case kql.Ge:
		return c >= 0
	}
	panic("reference: unknown operator")
}

// pgCmp compares a non-null Kusto value with a SQL value the way Postgres
// compares the column's SQL type: text bytewise (C collation), float8
// with NaN equal to itself and above everything, timestamps by instant.
func pgCmp(t schema.Type, v engine.Value, sql any) int {
	switch t {
	case schema.String:
		return cmpOrdered(v.(string), sql.(string))
	case schema.GUID:
		return cmpOrdered(string(v.(engine.GUID)), sql.(string))
	case schema.Long, schema.Int:
		return cmpOrdered(v.(int64), sql.(int64))
	case schema.Real:
		a, b := v.(float64), sql.(float64)
		switch {
		case math.IsNaN(a) && math.IsNaN(b):
			return 0
		case math.IsNaN(a):
			return 1
		case math.IsNaN(b):
			return -1
		}
		return cmpOrdered(a, b)
	case schema.DateTime:
		return v.(time.Time).Compare(sql.(time.Time))
	case schema.Bool:
		a, b := v.(bool), sql.(bool)
		switch {
		case a == b:
			return 0
		case b:
			return -1
		}
		return 1
	}
	panic("reference: no comparison for " + string(t))
}

func cmpOrdered[T int64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pgLike matches s against a Postgres LIKE pattern with escape character
// \. fold lowers ASCII letters on both sides first, which is what ILIKE
// does under the C locale. ok is false for a pattern Postgres rejects (a
// trailing lone backslash). The match is a dynamic programme over code
// points, so adversarial patterns stay linear in len(s)*len(p).
func pgLike(s, pattern string, fold bool) (match, ok bool) {
	if fold {
		s, pattern = asciiLower(s), asciiLower(pattern)
	}
	type elem struct {
		r    rune
		kind byte // 'c' literal, '%' any run, '_' one code point
	}
	var pat []elem
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\\':
			if i+1 == len(rs) {
				return false, false
			}
			i++
			pat = append(pat, elem{rs[i], 'c'})
		case '%':
			pat = append(pat, elem{kind: '%'})
		case '_':
			pat = append(pat, elem{kind: '_'})
		default:
			pat = append(pat, elem{rs[i], 'c'})
		}
	}
	// cur[j]: the first i runes of s match the first j elements of pat.
	cur := make([]bool, len(pat)+1)
	cur[0] = true
	for j := 1; j <= len(pat); j++ {
		cur[j] = cur[j-1] && pat[j-1].kind == '%'
	}
	for _, r := range s {
		next := make([]bool, len(pat)+1)
		for j := 1; j <= len(pat); j++ {
			switch e := pat[j-1]; e.kind {
			case '%':
				next[j] = next[j-1] || cur[j]
			case '_':
				next[j] = cur[j-1]
			default:
				next[j] = cur[j-1] && e.r == r
			}
		}
		cur = next
	}
	return cur[len(pat)], true
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// pushable reports whether s can be a Postgres text value at all.
func pushable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	return true
}
