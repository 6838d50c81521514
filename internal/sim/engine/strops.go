package engine

import "strings"

// Case-insensitive string operators fold ASCII letters only; every other
// byte compares ordinally (kql-semantics §2.2).

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII folds A-Z to a-z and leaves all other bytes alone.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// equalFoldASCII compares a with b folding ASCII letters only.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with the lower-case needle ln.
func hasPrefixFold(s, ln string) bool {
	if len(s) < len(ln) {
		return false
	}
	for i := 0; i < len(ln); i++ {
		if lowerByte(s[i]) != ln[i] {
			return false
		}
	}
	return true
}

// hasSuffixFold reports whether s ends with the lower-case needle ln.
func hasSuffixFold(s, ln string) bool {
	return len(s) >= len(ln) && hasPrefixFold(s[len(s)-len(ln):], ln)
}

// indexFold returns the first index of the lower-case needle ln in s,
// folding ASCII letters of s, or -1.
func indexFold(s, ln string) int {
	if ln == "" {
		return 0
	}
	c0 := ln[0]
	up := c0
	if c0 >= 'a' && c0 <= 'z' {
		up = c0 - ('a' - 'A')
	}
	for i := 0; i+len(ln) <= len(s); i++ {
		if c := s[i]; (c == c0 || c == up) && hasPrefixFold(s[i:], ln) {
			return i
		}
	}
	return -1
}

// isTermByte reports whether c belongs to a has-term: terms are maximal
// runs of ASCII letters and digits.
func isTermByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// termMatcher implements has, hasprefix and hassuffix for one needle. A
// match may not start inside a term when the needle starts with a term
// character (checked when left is set), and may not end inside a term when
// the needle ends with one (checked when right is set). A needle of several
// terms therefore matches as a phrase.
type termMatcher struct {
	needle      string // lower-cased when fold
	fold        bool
	left, right bool
}

// newTermMatcher builds a matcher; prefix and suffix select hasprefix and
// hassuffix, both false selects has.
func newTermMatcher(needle string, fold, prefix, suffix bool) termMatcher {
	if fold {
		needle = lowerASCII(needle)
	}
	m := termMatcher{needle: needle, fold: fold}
	if needle != "" {
		m.left = !suffix && isTermByte(needle[0])
		m.right = !prefix && isTermByte(needle[len(needle)-1])
	}
	return m
}

// match reports whether s satisfies the operator.
func (m termMatcher) match(s string) bool {
	n := m.needle
	for from := 0; from+len(n) <= len(s); {
		var j int
		if m.fold {
			j = indexFold(s[from:], n)
		} else {
			j = strings.Index(s[from:], n)
		}
		if j < 0 {
			return false
		}
		at := from + j
		end := at + len(n)
		if (!m.left || at == 0 || !isTermByte(s[at-1])) && (!m.right || end == len(s) || !isTermByte(s[end])) {
			return true
		}
		from = at + 1
	}
	return false
}
