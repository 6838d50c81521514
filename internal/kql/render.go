package kql

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// Render writes q as one KQL query:
//
//	['Table'] | where p1 and p2 | sort by k1, k2 | take N | project c1, c2
//
// or, with Latest:
//
//	['Table'] | where p1 | summarize arg_max(['T'], *) by ['K'] | where p2 | sort … | take … | project …
//
// Sorting and taking come before the projection so that sort keys need
// not be projected. Every predicate is translated exactly (Postgres
// semantics, Steampipe's C collation, Kusto "" as SQL NULL for strings);
// if one cannot be, Render returns an error wrapping ErrNotExact that
// names the column and operator, and renders nothing.
func (q Query) Render() (string, error) {
	if q.Table == "" {
		return "", errors.New("kql: query without a table")
	}
	var b strings.Builder
	b.WriteString(Ident(q.Table))
	where, err := whereClause(q.Where)
	if err != nil {
		return "", err
	}
	if where != "" {
		b.WriteString(" | where " + where)
	}
	if q.Latest != nil {
		latest, err := q.Latest.render()
		if err != nil {
			return "", err
		}
		b.WriteString(latest)
	}
	if len(q.OrderBy) > 0 {
		keys, err := sortKeys(q.OrderBy)
		if err != nil {
			return "", err
		}
		b.WriteString(" | sort by " + keys)
	}
	if q.Take > 0 {
		b.WriteString(" | take " + strconv.FormatInt(q.Take, 10))
	}
	if len(q.Project) > 0 {
		cols, err := projection(q.Project)
		if err != nil {
			return "", err
		}
		b.WriteString(" | project " + cols)
	}
	return b.String(), nil
}

// whereClause ANDs the translated predicates. A predicate that is never
// true makes the whole clause the canonical never-true form.
func whereClause(ps []Predicate) (string, error) {
	var terms []string
	isNever := false
	for _, p := range ps {
		s, err := predicate(p)
		if err != nil {
			return "", fmt.Errorf("kql: %w", err)
		}
		switch s {
		case never:
			isNever = true
		case always:
		default:
			terms = append(terms, s)
		}
	}
	if isNever {
		return never, nil
	}
	return strings.Join(terms, " and "), nil
}

// sortKeys renders the sort keys with Postgres NULL placement. Kusto sorts
// NaN together with null, so a real column is first split on isnull to put
// NaN where Postgres does: after every number, before NULL when ascending.
func sortKeys(os []Order) (string, error) {
	keys := make([]string, 0, len(os))
	for _, o := range os {
		if o.Column == "" {
			return "", errors.New("kql: sort key without a column")
		}
		if !Sortable(o.Type, o.JSON) {
			return "", fmt.Errorf("kql: %w: sort by %s on a %s column", ErrNotExact, o.Column, describe(o.Type, o.JSON))
		}
		c := Ident(o.Column)
		dir, nulls := "asc", "nulls last"
		if o.Desc {
			dir, nulls = "desc", "nulls first"
		}
		if o.Type == schema.Real {
			keys = append(keys, "isnull("+c+") "+dir)
		}
		keys = append(keys, c+" "+dir+" "+nulls)
	}
	return strings.Join(keys, ", "), nil
}

// projection lists the columns once each, in first-seen order.
func projection(cols []string) (string, error) {
	seen := make(map[string]bool, len(cols))
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		if c == "" {
			return "", errors.New("kql: projected column without a name")
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, Ident(c))
		}
	}
	return strings.Join(out, ", "), nil
}

// render writes the summarize and the filter on its result.
func (l *Latest) render() (string, error) {
	if l.Time == "" || len(l.By) == 0 {
		return "", errors.New("kql: Latest needs a time column and at least one key")
	}
	keys, err := projection(l.By)
	if err != nil {
		return "", err
	}
	s := " | summarize arg_max(" + Ident(l.Time) + ", *) by " + keys
	where, err := whereClause(l.Where)
	if err != nil {
		return "", err
	}
	if where != "" {
		s += " | where " + where
	}
	return s, nil
}
