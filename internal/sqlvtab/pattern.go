package sqlvtab

import "strings"

// likeToILike turns a SQLite LIKE pattern (no escape character) into a
// Postgres ILIKE pattern (escape character \): only backslashes need
// escaping. ILIKE folds case at least as widely as SQLite's ASCII-only
// LIKE, so the plugin returns a superset.
func likeToILike(p string) string {
	return strings.ReplaceAll(p, `\`, `\\`)
}

// globToLike turns a SQLite GLOB pattern into an equivalent Postgres LIKE
// pattern: * and ? become % and _, and %, _ and \ are escaped. Patterns
// with a character class [...] have no LIKE equivalent and are not
// pushed.
func globToLike(p string) (string, bool) {
	if strings.ContainsRune(p, '[') {
		return "", false
	}
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			b.WriteByte('%')
		case '?':
			b.WriteByte('_')
		case '%', '_', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}
