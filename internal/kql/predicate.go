package kql

import (
	"fmt"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// never is the one canonical predicate that is never true; always (the
// empty string) is a predicate that filters nothing.
const (
	never  = "false"
	always = ""
)

// predicate translates one SQL condition into a KQL boolean expression
// with exactly the Postgres result set, or returns an error.
func predicate(p Predicate) (string, error) {
	if p.Column == "" {
		return "", fmt.Errorf("kql: predicate without a column")
	}
	json := p.JSON || p.Type == schema.Dynamic
	if !supports(p.Type, json, p.Op) {
		return "", fmt.Errorf("column %s %s: %w for a %s column", p.Column, p.Op, ErrNotExact, describe(p.Type, json))
	}
	s, err := translate(p, Ident(p.Column))
	if err != nil {
		return "", fmt.Errorf("column %s %s: %w", p.Column, p.Op, err)
	}
	return s, nil
}

func describe(t schema.Type, json bool) string {
	if json && t == schema.String {
		return "JSON text"
	}
	return string(t)
}

// translate dispatches on the column type; the operator is already known
// to be supported.
func translate(p Predicate, c string) (string, error) {
	if p.Op == IsNull || p.Op == IsNotNull {
		return nullTest(p, c), nil
	}
	if p.Value == nil {
		if p.Op == Distinct { // IS DISTINCT FROM NULL is IS NOT NULL
			return nullTest(Predicate{Type: p.Type, Op: IsNotNull}, c), nil
		}
		return never, nil // a comparison with SQL NULL is never true
	}
	switch p.Type {
	case schema.String:
		return stringPredicate(p, c)
	case schema.GUID:
		return guidPredicate(p, c)
	}
	if p.Type == schema.DateTime && p.Stored {
		return storedPredicate(p, c)
	}
	return scalarPredicate(p, c)
}

// nullTest renders IS [NOT] NULL. Kusto strings are never null, so under
// convention A the empty string is the SQL NULL; JSON text follows strings.
func nullTest(p Predicate, c string) string {
	fn := "isnull"
	if p.Type == schema.String {
		fn = "isempty"
	}
	if p.Op == IsNotNull {
		fn = strings.Replace(fn, "is", "isnot", 1)
	}
	return fn + "(" + c + ")"
}

// stringPredicate renders = <> IN NOT IN and the LIKE family on a string
// column, where "" is SQL NULL: no SQL value is ever the empty string.
func stringPredicate(p Predicate, c string) (string, error) {
	switch p.Op {
	case In, NotIn:
		return listPredicate(p, c, c, "isnotempty", true)
	case LikeAny, ILikeAny:
		return likeAnyPredicate(p, c)
	}
	v, ok := p.Value.(string)
	if !ok {
		return "", typeError(p.Value, p.Type)
	}
	switch p.Op {
	case Eq:
		if v == "" {
			return never, nil
		}
		return compare(c, "==", v, p.Type)
	case Ne:
		if v == "" {
			return "isnotempty(" + c + ")", nil
		}
		return guarded("isnotempty", c, c, "!=", v, p.Type)
	}
	return likePredicate(c, p.Op, v)
}

// guidPredicate compares the guid's text form, which Kusto writes in
// lower-case hyphenated form, with the SQL text verbatim: a value in any
// other spelling matches nothing, exactly as in Postgres text comparison.
func guidPredicate(p Predicate, c string) (string, error) {
	text := "tostring(" + c + ")"
	switch p.Op {
	case In, NotIn:
		return listPredicate(p, c, text, "isnotnull", true)
	}
	v, ok := p.Value.(string)
	if !ok {
		return "", typeError(p.Value, p.Type)
	}
	if p.Op == Eq {
		if v == "" { // a null guid's text is "", but SQL NULL = '' is not true
			return never, nil
		}
		return compare(text, "==", v, p.Type)
	}
	return guarded("isnotnull", c, text, "!=", v, p.Type)
}

// scalarPredicate renders comparisons on long, int, real, datetime and bool
// columns, which Kusto can hold as null.
func scalarPredicate(p Predicate, c string) (string, error) {
	if p.Op == In || p.Op == NotIn {
		return listPredicate(p, c, c, "isnotnull", false)
	}
	if p.Op == Distinct {
		s, err := compare(c, "!=", p.Value, p.Type)
		if err != nil {
			return "", err
		}
		return "(isnull(" + c + ") or " + s + ")", nil
	}
	v := p.Value
	op := p.Op
	if ts, ok := v.(time.Time); ok && p.Type == schema.DateTime {
		var exact bool
		if op, ts, exact = toTick(op, ts); !exact {
			if op == Eq {
				return never, nil // no tick equals an instant between ticks
			}
			return "isnotnull(" + c + ")", nil // every tick differs from it
		}
		v = ts
	}
	switch op {
	case Eq:
		return compare(c, "==", v, p.Type)
	case Ne:
		return guarded("isnotnull", c, c, "!=", v, p.Type)
	case Lt:
		return compare(c, "<", v, p.Type)
	case Le:
		return compare(c, "<=", v, p.Type)
	}
	kop := ">"
	if op == Ge {
		kop = ">="
	}
	s, err := compare(c, kop, v, p.Type)
	if err != nil || p.Type != schema.Real {
		return s, err
	}
	// Postgres sorts NaN above every number; Kusto's NaN compares false.
	return "(" + s + " or isnan(" + c + "))", nil
}

// toTick rewrites a datetime comparison whose instant falls between two
// 100ns ticks into an equivalent one on a tick. exact is false for = and
// <>, which then have constant answers on non-null values.
func toTick(op Op, t time.Time) (Op, time.Time, bool) {
	floor := t.Truncate(tick)
	if floor.Equal(t) {
		return op, t, true
	}
	switch op {
	case Gt, Le:
		return op, floor, true
	case Ge, Lt:
		return op, floor.Add(tick), true
	}
	return op, t, false
}

// listPredicate renders IN and NOT IN. left is the compared expression
// (the column, or its text form for guid) and notNull the function that
// tests the column for SQL non-null. For text columns (dropEmpty) the
// empty string equals no SQL value, so it is dropped from both lists.
func listPredicate(p Predicate, c, left, notNull string, dropEmpty bool) (string, error) {
	list, ok := p.Value.([]any)
	if !ok {
		return "", typeError(p.Value, p.Type)
	}
	if p.Op == NotIn && len(list) == 0 {
		return always, nil // x <> ALL('{}') is true, even for NULL x
	}
	var lits []string
	for _, e := range list {
		if e == nil {
			if p.Op == NotIn { // x <> NULL is never true
				return never, nil
			}
			continue
		}
		if p.Type == schema.DateTime {
			t, ok := e.(time.Time)
			if ok && !t.Equal(t.Truncate(tick)) {
				continue // between ticks: equal to no value, unequal to all
			}
		}
		if s, ok := e.(string); ok && dropEmpty && s == "" {
			continue
		}
		lit, err := Literal(e, p.Type)
		if err != nil {
			return "", err
		}
		lits = append(lits, lit)
	}
	if p.Op == In {
		if len(lits) == 0 {
			return never, nil
		}
		return left + " in (" + strings.Join(lits, ", ") + ")", nil
	}
	guard := notNull + "(" + c + ")"
	if len(lits) == 0 {
		return guard, nil
	}
	return guard + " and " + left + " !in (" + strings.Join(lits, ", ") + ")", nil
}

// compare renders left op literal(v).
func compare(left, op string, v any, t schema.Type) (string, error) {
	lit, err := Literal(v, t)
	if err != nil {
		return "", err
	}
	return left + " " + op + " " + lit, nil
}

// guarded renders fn(c) and left op literal(v), the form that keeps
// Kusto's != from admitting the values that are SQL NULL.
func guarded(fn, c, left, op string, v any, t schema.Type) (string, error) {
	s, err := compare(left, op, v, t)
	if err != nil {
		return "", err
	}
	return fn + "(" + c + ") and " + s, nil
}

// likeAnyPredicate renders LIKE ANY and ILIKE ANY: the OR of each
// pattern's LIKE or ILIKE.
func likeAnyPredicate(p Predicate, c string) (string, error) {
	list, ok := p.Value.([]any)
	if !ok {
		return "", typeError(p.Value, p.Type)
	}
	op := Like
	if p.Op == ILikeAny {
		op = ILike
	}
	var terms []string
	for _, e := range list {
		if e == nil {
			continue // LIKE NULL is never true
		}
		pat, ok := e.(string)
		if !ok {
			return "", typeError(e, p.Type)
		}
		s, err := likePredicate(c, op, pat)
		if err != nil {
			return "", err
		}
		if s != never {
			terms = append(terms, "("+s+")")
		}
	}
	if len(terms) == 0 {
		return never, nil
	}
	return "(" + strings.Join(terms, " or ") + ")", nil
}
