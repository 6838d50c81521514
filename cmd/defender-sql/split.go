package main

import "strings"

// splitStatements cuts SQL text into statements at each ";" that is not
// inside a quoted string or identifier or a comment. It returns the
// complete statements, trimmed and without the ";", and the unfinished
// rest.
func splitStatements(src string) (stmts []string, rest string) {
	start := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\'', '"', '`':
			i = skipQuoted(src, i, c)
		case '[':
			i = skipQuoted(src, i, ']')
		case '-':
			if strings.HasPrefix(src[i:], "--") {
				if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
					i += j
				} else {
					i = len(src)
				}
			}
		case '/':
			if strings.HasPrefix(src[i:], "/*") {
				if j := strings.Index(src[i+2:], "*/"); j >= 0 {
					i += j + 3
				} else {
					i = len(src)
				}
			}
		case ';':
			if st := strings.TrimSpace(src[start:i]); strings.TrimSpace(stripComments(st)) != "" {
				stmts = append(stmts, st)
			}
			start = i + 1
		}
	}
	if start > len(src) {
		start = len(src)
	}
	return stmts, src[start:]
}

// skipQuoted returns the index of the quote that closes the one at i, or
// the end of src. A doubled quote inside is an escaped quote.
func skipQuoted(src string, i int, closer byte) int {
	for j := i + 1; j < len(src); j++ {
		if src[j] == closer {
			if closer != ']' && j+1 < len(src) && src[j+1] == closer {
				j++
				continue
			}
			return j
		}
	}
	return len(src)
}

// stripComments removes -- and /* */ comments outside quotes, to tell an
// empty statement from a real one.
func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'' || c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := skipQuoted(s, i, closer)
			b.WriteString(s[i:min(j+1, len(s))])
			i = j
		case strings.HasPrefix(s[i:], "--"):
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return b.String()
			}
			i += j
		case strings.HasPrefix(s[i:], "/*"):
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return b.String()
			}
			i += j + 3
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
