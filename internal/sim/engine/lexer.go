package engine

import (
	"strconv"
	"strings"
	"time"
)

// tokKind is the lexical class of a token.
type tokKind int

const (
	tkEOF      tokKind = iota
	tkIdent            // identifiers, keywords and word operators (!has, in~, project-away)
	tkPunct            // punctuation and symbolic operators
	tkString           // a string literal, already decoded
	tkLong             // an integer literal
	tkReal             // a real literal
	tkTimespan         // a timespan literal such as 2d or 10ms
	tkGUID             // a bare guid literal
	tkTyped            // a typed literal such as datetime(...): text is the type, raw the inside
)

// position is a 1-based line and column in the query text.
type position struct{ line, col int }

// token is one lexical token.
type token struct {
	kind  tokKind
	text  string // source spelling (decoded value for strings)
	raw   string // inside of the parentheses for tkTyped
	pos   position
	space bool // whitespace or a comment precedes the token
	i     int64
	f     float64
	d     time.Duration
}

// hyphenWords are KQL operator names written with a hyphen. They are lexed
// as one token so that the parser can accept or reject them by name.
var hyphenWords = map[string]bool{
	"project-away": true, "project-keep": true, "project-rename": true, "project-reorder": true,
	"mv-expand": true, "mv-apply": true, "make-series": true, "top-nested": true,
	"top-hitters": true, "parse-where": true, "parse-kv": true, "sample-distinct": true,
}

// typedWords introduce a literal whose inside is read raw: datetime(...).
var typedWords = map[string]bool{
	"datetime": true, "date": true, "timespan": true, "time": true, "guid": true, "uuid": true,
	"long": true, "int": true, "real": true, "double": true, "bool": true, "boolean": true,
	"decimal": true,
}

// lexer turns query text into tokens.
type lexer struct {
	src  string
	off  int
	line int
	lcol int // offset of the current line's first byte
}

// lex returns all tokens of src, ending with tkEOF.
func lex(src string) ([]token, error) {
	lx := &lexer{src: src, line: 1}
	var toks []token
	for {
		space, err := lx.skipSpace()
		if err != nil {
			return nil, err
		}
		t, err := lx.next()
		if err != nil {
			return nil, err
		}
		t.space = space
		toks = append(toks, t)
		if t.kind == tkEOF {
			return toks, nil
		}
	}
}

func (lx *lexer) pos() position { return position{lx.line, lx.off - lx.lcol + 1} }

func (lx *lexer) peekAt(i int) byte {
	if lx.off+i < len(lx.src) {
		return lx.src[lx.off+i]
	}
	return 0
}

// advance moves n bytes forward, tracking lines.
func (lx *lexer) advance(n int) {
	for range n {
		if lx.src[lx.off] == '\n' {
			lx.line++
			lx.lcol = lx.off + 1
		}
		lx.off++
	}
}

// skipSpace skips whitespace and // comments and reports whether any was skipped.
func (lx *lexer) skipSpace() (bool, error) {
	start := lx.off
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			lx.advance(1)
		case c == '/' && lx.peekAt(1) == '/':
			for lx.off < len(lx.src) && lx.src[lx.off] != '\n' {
				lx.off++
			}
		default:
			return lx.off > start, nil
		}
	}
	return lx.off > start, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// next reads one token at the current offset.
func (lx *lexer) next() (token, error) {
	p := lx.pos()
	if lx.off >= len(lx.src) {
		return token{kind: tkEOF, pos: p}, nil
	}
	if g, ok := guidAt(lx.src[lx.off:]); ok {
		lx.advance(len(g))
		return token{kind: tkGUID, text: g, pos: p}, nil
	}
	c := lx.src[lx.off]
	switch {
	case c == '"' || c == '\'' || c == '`' || (c == '@' && (lx.peekAt(1) == '"' || lx.peekAt(1) == '\'')):
		return lx.stringLit(p)
	case c == '~' && strings.HasPrefix(lx.src[lx.off:], "~~~"):
		return lx.stringLit(p)
	case (c == 'h' || c == 'H') && (lx.peekAt(1) == '"' || lx.peekAt(1) == '\'' ||
		(lx.peekAt(1) == '@' && (lx.peekAt(2) == '"' || lx.peekAt(2) == '\''))):
		lx.advance(1)
		return lx.stringLit(p)
	case isDigit(c) || (c == '.' && isDigit(lx.peekAt(1))):
		return lx.number(p)
	case isIdentStart(c):
		return lx.ident(p)
	case c == '!' && isIdentStart(lx.peekAt(1)):
		lx.advance(1)
		t, err := lx.ident(p)
		if err != nil {
			return t, err
		}
		t.text = "!" + t.text
		return t, nil
	}
	for _, op := range []string{"..", "==", "=~", "!=", "!~", "<>", "<=", ">="} {
		if strings.HasPrefix(lx.src[lx.off:], op) {
			lx.advance(len(op))
			return token{kind: tkPunct, text: op, pos: p}, nil
		}
	}
	if strings.IndexByte("|,()[]{};:.=<>+-*/%", c) >= 0 {
		lx.advance(1)
		return token{kind: tkPunct, text: string(c), pos: p}, nil
	}
	return token{}, syntaxErr(p, lx.excerpt(), "unexpected character")
}

// excerpt returns a short piece of source at the current offset for messages.
func (lx *lexer) excerpt() string {
	end := min(lx.off+10, len(lx.src))
	s := lx.src[lx.off:end]
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// ident reads an identifier, folding in~, hyphenated operator names and
// typed literals.
func (lx *lexer) ident(p position) (token, error) {
	start := lx.off
	lx.off++ // the start character, which may be '$'
	for lx.off < len(lx.src) && isIdentChar(lx.src[lx.off]) {
		lx.off++
	}
	word := lx.src[start:lx.off]
	if word == "in" && lx.peekAt(0) == '~' {
		lx.off++
		return token{kind: tkIdent, text: "in~", pos: p}, nil
	}
	if lx.peekAt(0) == '-' && isIdentStart(lx.peekAt(1)) {
		end := lx.off + 1
		for end < len(lx.src) && isIdentChar(lx.src[end]) {
			end++
		}
		if w := word + "-" + lx.src[lx.off+1:end]; hyphenWords[w] {
			lx.off = end
			return token{kind: tkIdent, text: w, pos: p}, nil
		}
	}
	if typedWords[word] {
		j := lx.off
		for j < len(lx.src) && (lx.src[j] == ' ' || lx.src[j] == '\t') {
			j++
		}
		if j < len(lx.src) && lx.src[j] == '(' {
			lx.off = j + 1
			raw, err := lx.rawParens(p)
			if err != nil {
				return token{}, err
			}
			return token{kind: tkTyped, text: word, raw: raw, pos: p}, nil
		}
	}
	return token{kind: tkIdent, text: word, pos: p}, nil
}

// rawParens reads up to the closing parenthesis of a typed literal. Quoted
// text inside may contain a parenthesis.
func (lx *lexer) rawParens(p position) (string, error) {
	start := lx.off
	var quote byte
	for lx.off < len(lx.src) {
		c := lx.src[lx.off]
		switch {
		case c == '\n' || c == '\r':
			return "", syntaxErr(p, lx.src[start:lx.off], "typed literal is not closed")
		case quote != 0:
			if c == '\\' {
				lx.off++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == ')':
			raw := lx.src[start:lx.off]
			lx.off++
			return strings.TrimSpace(raw), nil
		}
		lx.off++
	}
	return "", syntaxErr(p, lx.src[start:], "typed literal is not closed")
}

// timespanUnits maps a unit spelling to its length in 100 ns ticks.
var timespanUnits = map[string]int64{
	"d": 864000000000, "day": 864000000000, "days": 864000000000,
	"h": 36000000000, "hr": 36000000000, "hrs": 36000000000, "hour": 36000000000, "hours": 36000000000,
	"m": 600000000, "min": 600000000, "minute": 600000000, "minutes": 600000000,
	"s": 10000000, "sec": 10000000, "second": 10000000, "seconds": 10000000,
	"ms": 10000, "milli": 10000, "millis": 10000, "millisec": 10000, "millisecond": 10000, "milliseconds": 10000,
	"micro": 10, "micros": 10, "microsec": 10, "microsecond": 10, "microseconds": 10,
	"tick": 1, "ticks": 1,
}

// number reads a long, real or timespan literal.
func (lx *lexer) number(p position) (token, error) {
	start := lx.off
	s := lx.src
	if s[lx.off] == '0' && (lx.peekAt(1) == 'x' || lx.peekAt(1) == 'X') {
		lx.off += 2
		for lx.off < len(s) && strings.IndexByte("0123456789abcdefABCDEF", s[lx.off]) >= 0 {
			lx.off++
		}
		text := s[start:lx.off]
		if lx.off < len(s) && isIdentChar(s[lx.off]) {
			return token{}, syntaxErr(p, text, "malformed hexadecimal literal")
		}
		u, err := strconv.ParseUint(text[2:], 16, 64)
		if err != nil {
			return token{}, syntaxErr(p, text, "hexadecimal literal out of range")
		}
		return token{kind: tkLong, text: text, i: int64(u), pos: p}, nil
	}
	real := false
	for lx.off < len(s) && isDigit(s[lx.off]) {
		lx.off++
	}
	if lx.off+1 < len(s) && s[lx.off] == '.' && isDigit(s[lx.off+1]) {
		real = true
		lx.off++
		for lx.off < len(s) && isDigit(s[lx.off]) {
			lx.off++
		}
	}
	if lx.off < len(s) && (s[lx.off] == 'e' || s[lx.off] == 'E') {
		j := lx.off + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			real = true
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			lx.off = j
		}
	}
	num := s[start:lx.off]
	if lx.off < len(s) && isIdentStart(s[lx.off]) {
		us := lx.off
		for lx.off < len(s) && isIdentChar(s[lx.off]) {
			lx.off++
		}
		unit := s[us:lx.off]
		per, ok := timespanUnits[unit]
		if !ok || strings.ContainsAny(num, "eE") {
			return token{}, syntaxErr(p, s[start:lx.off], "malformed numeric or timespan literal")
		}
		ticks, err := scaleDecimal(num, per)
		if err != nil {
			return token{}, syntaxErr(p, s[start:lx.off], "%v", err)
		}
		return token{kind: tkTimespan, text: s[start:lx.off], d: time.Duration(ticks) * 100, pos: p}, nil
	}
	if real {
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return token{}, syntaxErr(p, num, "real literal out of range")
		}
		return token{kind: tkReal, text: num, f: f, pos: p}, nil
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return token{}, syntaxErr(p, num, "long literal out of range")
	}
	return token{kind: tkLong, text: num, i: n, pos: p}, nil
}
