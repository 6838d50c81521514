package kql

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// likeToken is one element of a parsed Postgres LIKE pattern.
type likeToken struct {
	wild rune // '%' (any run), '_' (one code point) or 0 for a literal
	r    rune // the literal code point when wild is 0
}

// parseLike splits a Postgres LIKE pattern (escape character \) into
// tokens, merging adjacent % wildcards, which match the same strings as one.
func parseLike(p string) ([]likeToken, error) {
	if !utf8.ValidString(p) {
		return nil, fmt.Errorf("%w: pattern is not valid UTF-8", ErrNotExact)
	}
	if strings.IndexByte(p, 0) >= 0 {
		return nil, fmt.Errorf("%w: pattern contains NUL", ErrNotExact)
	}
	var toks []likeToken
	escaped := false
	for _, r := range p {
		switch {
		case escaped:
			toks = append(toks, likeToken{r: r})
			escaped = false
		case r == '\\':
			escaped = true
		case r == '%':
			if n := len(toks); n == 0 || toks[n-1].wild != '%' {
				toks = append(toks, likeToken{wild: '%'})
			}
		case r == '_':
			toks = append(toks, likeToken{wild: '_'})
		default:
			toks = append(toks, likeToken{r: r})
		}
	}
	if escaped {
		// Postgres rejects a pattern ending in the escape character.
		return nil, fmt.Errorf("%w: pattern ends with a lone escape character", ErrNotExact)
	}
	return toks, nil
}

// likeShape is a pattern that a plain string operator matches exactly.
type likeShape struct {
	op  string // KQL operator, case-sensitive form
	lit string // the literal text between the wildcards
}

// cheapShape recognises lit, lit%, %lit and %lit% (lit non-empty and free
// of wildcards).
func cheapShape(toks []likeToken) (likeShape, bool) {
	lead := len(toks) > 0 && toks[0].wild == '%'
	trail := len(toks) > 1 && toks[len(toks)-1].wild == '%'
	body := toks
	if lead {
		body = body[1:]
	}
	if trail {
		body = body[:len(body)-1]
	}
	if len(body) == 0 {
		return likeShape{}, false
	}
	var b strings.Builder
	for _, t := range body {
		if t.wild != 0 {
			return likeShape{}, false
		}
		b.WriteRune(t.r)
	}
	op := "=="
	switch {
	case lead && trail:
		op = "contains_cs"
	case lead:
		op = "endswith_cs"
	case trail:
		op = "startswith_cs"
	}
	return likeShape{op: op, lit: b.String()}, true
}

// insensitive maps a case-sensitive shape operator to its ASCII-folding
// form.
var insensitive = map[string]string{
	"==":            "=~",
	"startswith_cs": "startswith",
	"endswith_cs":   "endswith",
	"contains_cs":   "contains",
}

// negated maps a shape operator to its exact negation (strings are never
// null in Kusto, so the ! forms are plain complements).
var negated = map[string]string{
	"==":            "!=",
	"startswith_cs": "!startswith_cs",
	"endswith_cs":   "!endswith_cs",
	"contains_cs":   "!contains_cs",
}

// regexMeta lists the characters that are special outside a class in RE2,
// Go and Rust regex alike, and that all three accept escaped. Every other
// character is literal there when written raw, so only these are escaped;
// in particular < and > stay raw, because \< and \> are word boundaries
// in Rust regex, and older Rust regex versions reject escaped punctuation
// outside this set.
const regexMeta = `\.+*?()|[]{}^$`

// likeRegex translates the pattern into an anchored regular expression in
// the subset shared by RE2, Go and Rust regex. Under fold every ASCII
// letter becomes a two-letter class, which is exactly Postgres ILIKE
// folding under the C locale (unlike (?i), which folds Unicode).
func likeRegex(toks []likeToken, fold bool) string {
	var b strings.Builder
	b.WriteString(`\A(?s)`)
	for _, t := range toks {
		switch {
		case t.wild == '%':
			b.WriteString(".*")
		case t.wild == '_':
			b.WriteByte('.')
		case fold && isASCIILetter(t.r):
			lo, up := t.r|0x20, t.r&^0x20
			b.WriteByte('[')
			b.WriteRune(lo)
			b.WriteRune(up)
			b.WriteByte(']')
		case strings.ContainsRune(regexMeta, t.r):
			b.WriteByte('\\')
			b.WriteRune(t.r)
		default:
			b.WriteRune(t.r)
		}
	}
	b.WriteString(`\z`)
	return b.String()
}

// longestRun returns the longest run of literal code points in the pattern.
func longestRun(toks []likeToken) string {
	var best, cur []rune
	for _, t := range toks {
		if t.wild != 0 {
			cur = cur[:0]
			continue
		}
		cur = append(cur, t.r)
		if len(cur) > len(best) {
			best = append(best[:0], cur...)
		}
	}
	return string(best)
}

func isASCIILetter(r rune) bool { return (r|0x20) >= 'a' && (r|0x20) <= 'z' }

// minTerm is the shortest term Kusto's term index holds.
const minTerm = 3

func isASCIIAlnum(r rune) bool { return isASCIILetter(r) || (r >= '0' && r <= '9') }

// isTermBoundary reports whether a literal r certainly ends a has-term:
// ASCII punctuation or space. The underscore is left out because whether
// Kusto counts it as a term character is undocumented.
func isTermBoundary(r rune) bool {
	switch {
	case r == ' ':
		return true
	case r == '_':
		return false
	}
	return (r >= '!' && r <= '/') || (r >= ':' && r <= '@') || (r >= '[' && r <= '`') || (r >= '{' && r <= '~')
}

// indexTerm returns the longest run of literal ASCII letters and digits,
// at least minTerm long, that every string matching the pattern holds as
// a whole has-term (kql-semantics §2.6): each end of the run is either a
// literal term boundary or the edge of the pattern, which the match is
// anchored to. A wildcard next to the run could extend the term, so such
// a run does not count.
func indexTerm(toks []likeToken) (string, bool) {
	best := ""
	for i := 0; i < len(toks); {
		if toks[i].wild != 0 || !isASCIIAlnum(toks[i].r) {
			i++
			continue
		}
		j := i
		for j < len(toks) && toks[j].wild == 0 && isASCIIAlnum(toks[j].r) {
			j++
		}
		leftOK := i == 0 || (toks[i-1].wild == 0 && isTermBoundary(toks[i-1].r))
		rightOK := j == len(toks) || (toks[j].wild == 0 && isTermBoundary(toks[j].r))
		if leftOK && rightOK && j-i >= minTerm && j-i > len(best) {
			var b strings.Builder
			for _, t := range toks[i:j] {
				b.WriteRune(t.r)
			}
			best = b.String()
		}
		i = j
	}
	return best, best != ""
}

// hasASCIILetter reports whether any literal in the pattern is an ASCII
// letter; without one, ILIKE and LIKE match the same strings.
func hasASCIILetter(toks []likeToken) bool {
	for _, t := range toks {
		if t.wild == 0 && isASCIILetter(t.r) {
			return true
		}
	}
	return false
}

// likePredicate renders C LIKE/ILIKE/NOT LIKE/NOT ILIKE pattern for a string
// column under convention A (Kusto "" is SQL NULL, which never matches).
func likePredicate(c string, op Op, pattern string) (string, error) {
	toks, err := parseLike(pattern)
	if err != nil {
		return "", err
	}
	negate := op == NotLike || op == NotILike
	fold := (op == ILike || op == NotILike) && hasASCIILetter(toks)
	switch {
	case len(toks) == 0: // '' matches no non-null string
		if negate {
			return "isnotempty(" + c + ")", nil
		}
		return never, nil
	case len(toks) == 1 && toks[0].wild == '%': // matches every non-null string
		if negate {
			return never, nil
		}
		return "isnotempty(" + c + ")", nil
	}
	guard := "isnotempty(" + c + ") and "
	term, indexed := indexTerm(toks)
	shape, cheap := cheapShape(toks)
	if indexed && !negate && !(cheap && shape.op == "==") {
		// A whole term of every matching string: has_cs lets Kusto's term
		// index rule rows out before the exact test reads them. It is
		// implied by the exact test, so the conjunction stays exact; a
		// negated pattern never gets it (its negation would drop rows),
		// and a pattern without wildcards is rendered like SQL =.
		pre := "has_cs"
		if fold {
			pre = "has"
		}
		lit, err := stringLiteral(term)
		if err != nil {
			return "", err
		}
		guard += c + " " + pre + " " + lit + " and "
	}
	// NOT ILIKE never uses the folding operators: if Kusto folded more than
	// ASCII, their negation would drop rows.
	if cheap && !(negate && fold) {
		kop := shape.op
		switch {
		case negate:
			kop = negated[kop]
		case fold:
			kop = insensitive[kop]
		}
		lit, err := stringLiteral(shape.lit)
		if err != nil {
			return "", err
		}
		return guard + c + " " + kop + " " + lit, nil
	}
	re, err := stringLiteral(likeRegex(toks, fold))
	if err != nil {
		return "", err
	}
	if negate {
		return guard + "not(" + c + " matches regex " + re + ")", nil
	}
	if run := longestRun(toks); run != "" && !(indexed && run == term) {
		// A cheap substring test in front of the regex; it is implied by
		// the regex, so the conjunction stays exact.
		pre := "contains_cs"
		if fold {
			pre = "contains"
		}
		lit, err := stringLiteral(run)
		if err != nil {
			return "", err
		}
		guard += c + " " + pre + " " + lit + " and "
	}
	return guard + c + " matches regex " + re, nil
}
