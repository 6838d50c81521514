package engine

import (
	"fmt"
	"regexp"
	"strings"
)

// maxRegexGroups is Kusto's documented cap on capture groups.
const maxRegexGroups = 16

// compileRegex compiles a matches-regex pattern with Go regexp after
// rejecting syntax whose meaning differs between RE2, Go and the Rust
// regex crate that Kusto now uses (kql-semantics §2.4, §7 pitfall 5).
func compileRegex(op, pat string) (*regexp.Regexp, error) {
	if err := checkRegexSubset(pat); err != nil {
		return nil, semErr(op, "unsupported regular expression %q: %v", pat, err)
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, semErr(op, "invalid regular expression %q: %v", pat, err)
	}
	if n := re.NumSubexp(); n > maxRegexGroups {
		return nil, limitErr("the regular expression has %d groups; at most %d are allowed", n, maxRegexGroups)
	}
	return re, nil
}

// countedRepeat matches a counted repetition such as {2}, {2,} or {2,5}.
var countedRepeat = regexp.MustCompile(`^\{[0-9]+(,[0-9]*)?\}`)

// checkRegexSubset rejects escapes and class syntax outside RE2 ∩ Rust regex.
func checkRegexSubset(pat string) error {
	inClass := false
	classStart := 0
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		if c == '\\' {
			if i+1 >= len(pat) {
				return fmt.Errorf("trailing backslash")
			}
			e := pat[i+1]
			switch {
			case e == '<' || e == '>':
				return fmt.Errorf(`\%c is a word boundary in Kusto's regex engine; write [%c] for the character`, e, e)
			case e == 'u' || e == 'U':
				return fmt.Errorf(`\%c escapes differ between regex engines; use \x{...}`, e)
			case strings.IndexByte("dDwWsSbB", e) >= 0:
				return fmt.Errorf(`\%c has a different Unicode scope in Kusto's regex engine; use an explicit class`, e)
			case e == 'Q' || e == 'E':
				return fmt.Errorf(`\Q...\E quoting is not supported by Kusto's regex engine`)
			case e >= '0' && e <= '9':
				return fmt.Errorf(`\%c (octal or back-reference) is not supported by Kusto's regex engine`, e)
			}
			i++
			continue
		}
		if inClass {
			switch {
			case c == ']' && i > classStart:
				inClass = false
			case c == '[' && strings.HasPrefix(pat[i:], "[:"):
				end := strings.Index(pat[i+2:], ":]")
				if end < 0 {
					return fmt.Errorf("unescaped '[' inside a character class")
				}
				i += 2 + end + 1
			case c == '[':
				return fmt.Errorf("unescaped '[' inside a character class (a nested class in Kusto's regex engine)")
			case (c == '&' || c == '-' || c == '~') && i+1 < len(pat) && pat[i+1] == c:
				return fmt.Errorf("%c%c inside a character class is a set operation in Kusto's regex engine", c, c)
			}
			continue
		}
		if c == '{' && !countedRepeat.MatchString(pat[i:]) {
			return fmt.Errorf("a '{' that does not start a counted repetition must be escaped")
		}
		if c == '[' {
			inClass = true
			classStart = i + 1
			if classStart < len(pat) && pat[classStart] == '^' {
				classStart++
			}
		}
	}
	return nil
}
