package engine

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// stringLit reads one string literal in any of the KQL forms. An h/H
// prefix has already been consumed; p is where the literal began.
func (lx *lexer) stringLit(p position) (token, error) {
	s := lx.src
	switch {
	case strings.HasPrefix(s[lx.off:], "```"), strings.HasPrefix(s[lx.off:], "~~~"):
		fence := s[lx.off : lx.off+3]
		body := lx.off + 3
		end := strings.Index(s[body:], fence)
		if end < 0 {
			return token{}, syntaxErr(p, fence, "multi-line string literal is not closed")
		}
		lx.advance(3 + end + 3)
		return token{kind: tkString, text: s[body : body+end], pos: p}, nil
	case s[lx.off] == '@':
		q := s[lx.off+1]
		var b strings.Builder
		i := lx.off + 2
		for {
			if i >= len(s) || s[i] == '\n' || s[i] == '\r' {
				return token{}, syntaxErr(p, s[lx.off:min(i, len(s))], "verbatim string literal is not closed")
			}
			if s[i] == q {
				if i+1 < len(s) && s[i+1] == q {
					b.WriteByte(q)
					i += 2
					continue
				}
				lx.off = i + 1
				return token{kind: tkString, text: b.String(), pos: p}, nil
			}
			b.WriteByte(s[i])
			i++
		}
	case s[lx.off] == '`':
		return token{}, syntaxErr(p, "`", "unexpected backquote")
	}
	q := s[lx.off]
	var b strings.Builder
	i := lx.off + 1
	for {
		if i >= len(s) || s[i] == '\n' || s[i] == '\r' {
			return token{}, syntaxErr(p, s[lx.off:min(i, len(s))], "string literal is not closed")
		}
		c := s[i]
		if c == q {
			lx.off = i + 1
			return token{kind: tkString, text: b.String(), pos: p}, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		n, err := decodeEscape(s[i:], &b)
		if err != nil {
			return token{}, syntaxErr(p, s[i:min(i+6, len(s))], "%s", err.Error())
		}
		i += n
	}
}

// simpleEscapes maps single-character escapes to their byte.
var simpleEscapes = map[byte]byte{'\\': '\\', '\'': '\'', '"': '"', 'a': 7, 'b': 8, 'f': 12, 'n': '\n', 'r': '\r', 't': '\t', 'v': 11}

// escapeError describes an invalid escape sequence.
type escapeError string

func (e escapeError) Error() string { return string(e) }

// decodeEscape decodes the escape sequence at the start of s (s[0] is the
// backslash), appends its value to b and returns the bytes consumed.
func decodeEscape(s string, b *strings.Builder) (int, error) {
	if len(s) < 2 {
		return 0, escapeError("string literal is not closed")
	}
	c := s[1]
	if v, ok := simpleEscapes[c]; ok {
		b.WriteByte(v)
		return 2, nil
	}
	switch {
	case c == 'u':
		u, ok := hexN(s[2:], 4)
		if !ok {
			return 0, escapeError(`\u must be followed by exactly 4 hex digits`)
		}
		n := 6
		r := rune(u)
		if utf16.IsSurrogate(r) {
			if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
				if lo, ok := hexN(s[8:], 4); ok && utf16.IsSurrogate(rune(lo)) {
					r = utf16.DecodeRune(r, rune(lo))
					n = 12
				}
			}
			if n == 6 {
				r = utf8.RuneError
			}
		}
		b.WriteRune(r)
		return n, nil
	case c == 'U':
		u, ok := hexN(s[2:], 8)
		if !ok || u > utf8.MaxRune || (u >= 0xD800 && u <= 0xDFFF) {
			return 0, escapeError(`\U must be followed by exactly 8 hex digits of a valid code point`)
		}
		b.WriteRune(rune(u))
		return 10, nil
	case c == 'x':
		u, ok := hexN(s[2:], 2)
		if !ok {
			return 0, escapeError(`\x must be followed by exactly 2 hex digits`)
		}
		b.WriteRune(rune(u))
		return 4, nil
	case c >= '0' && c <= '7':
		max := 2
		if c <= '3' {
			max = 3
		}
		n := 1
		for n < max && 1+n < len(s) && s[1+n] >= '0' && s[1+n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(s[1:1+n], 8, 32)
		b.WriteRune(rune(v))
		return 1 + n, nil
	}
	return 0, escapeError("unknown escape sequence \\" + string(rune(c)))
}

// hexN parses exactly n hex digits at the start of s.
func hexN(s string, n int) (uint64, bool) {
	if len(s) < n {
		return 0, false
	}
	v, err := strconv.ParseUint(s[:n], 16, 32)
	return v, err == nil
}

// guidAt reports whether s starts with a bare guid token (8-4-4-4-12 hex
// digits not followed by an identifier character) and returns it.
func guidAt(s string) (string, bool) {
	if len(s) < 36 {
		return "", false
	}
	for i := range 36 {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return "", false
			}
			continue
		}
		if !isHex(c) {
			return "", false
		}
	}
	if len(s) > 36 && isIdentChar(s[36]) {
		return "", false
	}
	return s[:36], true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
