package docgen

import (
	"fmt"
	"regexp"
	"strings"
)

// SQLiteSQL returns the example in SQLite's dialect: e.SQLite when set,
// otherwise the mechanical translation of e.SQL.
func (e Example) SQLiteSQL() (string, error) {
	if e.SQLite != "" {
		return e.SQLite, nil
	}
	return toSQLite(e.SQL)
}

var (
	// pgInterval is now() plus or minus a literal interval.
	pgInterval = regexp.MustCompile(`now\(\) ([-+]) interval '(\d+) (\w+)'`)
	// pgDay is to_char of a datetime() call, cut to the date.
	pgDay = regexp.MustCompile(`to_char\(datetime\(([^()]*)\), 'YYYY-MM-DD'\)`)
	// pgOnly are the Postgres constructs toSQLite cannot translate; an
	// example that uses one needs a hand-written SQLite form.
	pgOnly = regexp.MustCompile(`(?i)distinct on|::|@>|\?|\blateral\b|\bjsonb_\w+|\bdate_trunc\b|\bto_char\b|\bnow\(\)|\binterval\b|\bstring_agg\b|\barray_agg\b`)
)

// toSQLite translates a Postgres example whose differences from SQLite
// are mechanical: now() ± interval becomes datetime('now', '±N unit')
// (timestamps are UTC text in defender-sql, so text comparison orders
// them), to_char(…, 'YYYY-MM-DD') of it becomes date(…), and ilike
// becomes like, which SQLite already folds for ASCII. ->, ->>, true and
// false mean the same in both. Anything else Postgres-only is an error.
func toSQLite(sql string) (string, error) {
	out := pgInterval.ReplaceAllString(sql, "datetime('now', '$1$2 $3')")
	out = pgDay.ReplaceAllString(out, "date($1)")
	out = regexp.MustCompile(`\bilike\b`).ReplaceAllString(out, "like")
	if m := pgOnly.FindString(stripStrings(out)); m != "" {
		return "", fmt.Errorf("no mechanical SQLite form for %q: write Example.SQLite", m)
	}
	return out, nil
}

// stripStrings blanks the contents of SQL string literals, so that text
// inside them is not taken for syntax.
func stripStrings(sql string) string {
	var b strings.Builder
	in := false
	for _, c := range sql {
		switch {
		case c == '\'':
			in = !in
			b.WriteRune(c)
		case in:
			b.WriteRune(' ')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
