package docgen

import (
	"fmt"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// sqlWords are the keywords, functions and type names the examples may use
// besides column, table and alias names, in Postgres or in SQLite.
var sqlWords = setOf(`select from where and or not in is null like ilike order by asc desc
limit offset group having as distinct on join left inner cross lateral interval now true false
between case when then else end with count sum max min avg date_trunc lower upper cast text
bigint timestamptz round coalesce string_agg array_agg filter nulls last first any all exists
jsonb_array_elements_text jsonb_array_length jsonb_each_text jsonb_typeof to_char extract epoch
union split_part length
datetime date json_extract json_each value integer real`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// token is an identifier in an SQL text, with the characters around it.
type token struct {
	word      string
	afterDot  bool // preceded by "."
	beforeDot bool // followed by "."
}

// identifiers returns the identifiers of sql in order, skipping string
// literals, quoted identifiers' quotes, numbers and comments.
func identifiers(sql string) []token {
	var out []token
	s := []rune(sql)
	isStart := func(c rune) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
	isPart := func(c rune) bool { return isStart(c) || (c >= '0' && c <= '9') }
	lastSym := ""
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'':
			i++
			for i < len(s) {
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
			lastSym = "'"
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c >= '0' && c <= '9':
			for i < len(s) && (isPart(s[i]) || s[i] == '.') {
				i++
			}
			lastSym = "0"
		case isStart(c):
			j := i
			for j < len(s) && isPart(s[j]) {
				j++
			}
			out = append(out, token{
				word:      strings.ToLower(string(s[i:j])),
				afterDot:  lastSym == ".",
				beforeDot: j < len(s) && s[j] == '.',
			})
			lastSym = "a"
			i = j
		case c == ' ' || c == '\n' || c == '\t' || c == '"':
			i++
		default:
			lastSym = string(c)
			i++
		}
	}
	return out
}

// ValidateExample checks that sql, an example for table t, names only real
// tables and columns: every identifier must be an SQL word, a defender_
// table, an alias the query defines, or a column of a table it reads.
func ValidateExample(t *schema.Table, sql string) error {
	toks := identifiers(sql)
	tables := map[string]*schema.Table{} // SQL name or alias → table
	aliases := map[string]bool{}
	readsOwn := false
	for i, tk := range toks {
		if strings.HasPrefix(tk.word, "defender_") && !tk.afterDot {
			ref := lookupSQL(tk.word)
			if ref == nil {
				if _, isColumn := columnNames(t)[tk.word]; isColumn {
					continue // defender_tenant_id
				}
				return fmt.Errorf("unknown table %s", tk.word)
			}
			tables[tk.word] = ref
			readsOwn = readsOwn || ref == t
			if i+1 < len(toks) {
				a := toks[i+1]
				if a.word == "as" && i+2 < len(toks) {
					a = toks[i+2]
				}
				if !sqlWords[a.word] || a.word == "as" {
					tables[a.word] = ref
				}
			}
		}
		if tk.word == "as" && i+1 < len(toks) {
			aliases[toks[i+1].word] = true
		}
	}
	if !readsOwn {
		return fmt.Errorf("example does not read %s", t.SQLName())
	}
	for i, tk := range toks {
		switch {
		case tk.afterDot:
			continue // checked with its qualifier
		case tk.beforeDot:
			ref, ok := tables[tk.word]
			if !ok {
				return fmt.Errorf("unknown qualifier %s", tk.word)
			}
			if i+1 < len(toks) && toks[i+1].afterDot {
				if _, ok := columnNames(ref)[toks[i+1].word]; !ok {
					return fmt.Errorf("%s is not a column of %s", toks[i+1].word, ref.SQLName())
				}
			}
		case tables[tk.word] != nil || aliases[tk.word]:
		case isColumnOfAny(tk.word, tables):
		case sqlWords[tk.word]:
		default:
			return fmt.Errorf("%s is not a column of %s", tk.word, tableList(tables))
		}
	}
	return nil
}

func isColumnOfAny(w string, tables map[string]*schema.Table) bool {
	for _, t := range tables {
		if _, ok := columnNames(t)[w]; ok {
			return true
		}
	}
	return false
}

func tableList(tables map[string]*schema.Table) string {
	seen := map[string]bool{}
	var names []string
	for _, t := range tables {
		if !seen[t.SQLName()] {
			seen[t.SQLName()] = true
			names = append(names, t.SQLName())
		}
	}
	return strings.Join(names, ", ")
}

// lookupSQL finds a table by its SQL name; a current-state table has its
// source's columns.
func lookupSQL(n string) *schema.Table {
	for _, t := range schema.Tables() {
		if t.SQLName() == n {
			return t
		}
	}
	for _, c := range schema.CurrentTables() {
		if c.Name == n {
			return schema.Lookup(c.Source)
		}
	}
	return nil
}
