// Package odatafilter parses and evaluates the OData v4 $filter subset that
// Microsoft Graph's security API accepts: comparisons (eq, ne, gt, ge, lt,
// le) and in lists of a property against literals, joined with and, or,
// not and parentheses. Literals are strings ('it”s'), DateTimeOffset
// values (2024-03-05T07:08:09.1234567Z), integers, true, false and null.
// Functions (startswith, contains, any, ...) and arithmetic are rejected.
//
// It is the simulator's own reading of the OData grammar and shares no
// code with the plugin's encoder, so the two check each other.
package odatafilter

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Expr is a parsed filter.
type Expr interface{ expr() }

// Cmp is "Property Op Value".
type Cmp struct {
	Property string
	Op       string // eq, ne, gt, ge, lt, le
	Value    Value
}

// In is "Property in (Values...)".
type In struct {
	Property string
	Values   []Value
}

// Bool is "L and R" (And true) or "L or R".
type Bool struct {
	And  bool
	L, R Expr
}

// Not is "not X".
type Not struct{ X Expr }

func (Cmp) expr()  {}
func (In) expr()   {}
func (Bool) expr() {}
func (Not) expr()  {}

// Value is a literal: string, time.Time, int64, bool, or nil for null.
type Value any

// Error is a filter that does not parse; Pos is a byte offset.
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("at position %d: %s", e.Pos, e.Msg) }

// Parse parses a $filter value (already URL-decoded).
func Parse(src string) (Expr, error) {
	if !utf8.ValidString(src) {
		return nil, &Error{0, "the filter is not valid UTF-8"}
	}
	p := &parser{src: src}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q", p.rest(12))
	}
	return e, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) errorf(format string, args ...any) error {
	return &Error{p.pos, fmt.Sprintf(format, args...)}
}

func (p *parser) rest(n int) string {
	r := p.src[p.pos:]
	if len(r) > n {
		r = r[:n]
	}
	return r
}

func (p *parser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// keyword consumes w when it stands as a whole word at the position.
func (p *parser) keyword(w string) bool {
	p.space()
	if !strings.HasPrefix(p.src[p.pos:], w) {
		return false
	}
	end := p.pos + len(w)
	if end < len(p.src) && wordByte(p.src[end]) {
		return false
	}
	p.pos = end
	return true
}

func wordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) or() (Expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = Bool{L: l, R: r}
	}
	return l, nil
}

func (p *parser) and() (Expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = Bool{And: true, L: l, R: r}
	}
	return l, nil
}

func (p *parser) unary() (Expr, error) {
	if p.keyword("not") {
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return Not{x}, nil
	}
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		p.pos++
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, p.errorf("missing )")
		}
		p.pos++
		return e, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (Expr, error) {
	p.space()
	start := p.pos
	for p.pos < len(p.src) && wordByte(p.src[p.pos]) {
		p.pos++
	}
	prop := p.src[start:p.pos]
	if prop == "" || prop[0] >= '0' && prop[0] <= '9' {
		p.pos = start
		return nil, p.errorf("expected a property name, found %q", p.rest(12))
	}
	if p.pos < len(p.src) && (p.src[p.pos] == '(' || p.src[p.pos] == '/') {
		return nil, &Error{start, fmt.Sprintf("functions and paths are not supported: %s", prop)}
	}
	if p.keyword("in") {
		vals, err := p.list()
		if err != nil {
			return nil, err
		}
		return In{Property: prop, Values: vals}, nil
	}
	for _, op := range []string{"eq", "ne", "gt", "ge", "lt", "le"} {
		if p.keyword(op) {
			v, err := p.literal()
			if err != nil {
				return nil, err
			}
			return Cmp{Property: prop, Op: op, Value: v}, nil
		}
	}
	return nil, p.errorf("expected an operator after %s, found %q", prop, p.rest(12))
}

func (p *parser) list() ([]Value, error) {
	p.space()
	if p.pos >= len(p.src) || p.src[p.pos] != '(' {
		return nil, p.errorf("in needs a parenthesised list")
	}
	p.pos++
	var out []Value
	for {
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == ')' {
			p.pos++
			return out, nil
		}
		return nil, p.errorf("expected , or ) in a list")
	}
}

// literal reads one literal.
func (p *parser) literal() (Value, error) {
	p.space()
	if p.pos >= len(p.src) {
		return nil, p.errorf("expected a literal")
	}
	if p.src[p.pos] == '\'' {
		return p.str()
	}
	start := p.pos
	for p.pos < len(p.src) && strings.IndexByte(" \t,)(", p.src[p.pos]) < 0 {
		p.pos++
	}
	tok := p.src[start:p.pos]
	switch tok {
	case "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	if t, ok := dateTimeOffset(tok); ok {
		return t, nil
	}
	if n, err := strconv.ParseInt(tok, 10, 64); err == nil && tok[0] != '+' {
		return n, nil
	}
	p.pos = start
	return nil, p.errorf("%q is not a literal", tok)
}

// str reads a single-quoted string; ” stands for one quote.
func (p *parser) str() (Value, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c != '\'' {
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 < len(p.src) && p.src[p.pos+1] == '\'' {
			b.WriteByte('\'')
			p.pos += 2
			continue
		}
		p.pos++
		return b.String(), nil
	}
	return nil, &Error{start, "unterminated string literal"}
}

// dateTimeOffset reads YYYY-MM-DDThh:mm[:ss[.fffffff]] then Z or ±hh:mm,
// with at most 12 fractional digits (all but seven must be zeros, as
// DateTimeOffset keeps 100 ns ticks).
func dateTimeOffset(s string) (time.Time, bool) {
	if len(s) < 17 || s[4] != '-' || s[10] != 'T' {
		return time.Time{}, false
	}
	var layout string
	body, zone := s, ""
	switch {
	case strings.HasSuffix(s, "Z"):
		body, zone = s[:len(s)-1], "Z"
	case len(s) > 6 && (s[len(s)-6] == '+' || s[len(s)-6] == '-'):
		body, zone = s[:len(s)-6], s[len(s)-6:]
	default:
		return time.Time{}, false
	}
	frac := ""
	if i := strings.IndexByte(body, '.'); i >= 0 {
		body, frac = body[:i], body[i+1:]
		if frac == "" || len(frac) > 12 || strings.Trim(frac, "0123456789") != "" {
			return time.Time{}, false
		}
	}
	switch len(body) {
	case 16:
		layout = "2006-01-02T15:04"
	case 19:
		layout = "2006-01-02T15:04:05"
	default:
		return time.Time{}, false
	}
	if frac != "" && len(body) == 16 {
		return time.Time{}, false
	}
	t, err := time.Parse(layout, body)
	if err != nil {
		return time.Time{}, false
	}
	if frac != "" {
		if len(frac) > 7 {
			if strings.Trim(frac[7:], "0") != "" {
				return time.Time{}, false
			}
			frac = frac[:7]
		}
		for len(frac) < 9 {
			frac += "0"
		}
		ns, _ := strconv.Atoi(frac)
		t = t.Add(time.Duration(ns))
	}
	if zone != "Z" {
		h, err1 := strconv.Atoi(zone[1:3])
		m, err2 := strconv.Atoi(zone[4:])
		if err1 != nil || err2 != nil || zone[3] != ':' || h > 23 || m > 59 {
			return time.Time{}, false
		}
		off := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
		if zone[0] == '+' {
			off = -off
		}
		t = t.Add(off)
	}
	return t.UTC(), true
}
