package odata

import (
	"fmt"
	"strings"
)

// Op is an OData comparison operator.
type Op string

// The comparison operators Compare writes.
const (
	Eq Op = "eq"
	Ne Op = "ne"
	Gt Op = "gt"
	Ge Op = "ge"
	Lt Op = "lt"
	Le Op = "le"
)

// Compare writes one clause, "property op literal". The property must be
// an identifier and the literal must come from String, DateTimeOffset or
// Enum; a bad property or operator is a programming error and panics.
func Compare(property string, op Op, literal string) string {
	if !identifier(property) {
		panic(fmt.Sprintf("odata: %q is not a property name", property))
	}
	switch op {
	case Eq, Ne, Gt, Ge, Lt, Le:
	default:
		panic(fmt.Sprintf("odata: unknown operator %q", op))
	}
	return property + " " + string(op) + " " + literal
}

// And joins clauses with and, parenthesising each so that an or inside
// one keeps its meaning. No clauses give "".
func And(clauses ...string) string { return join(clauses, " and ") }

// Or joins clauses with or, parenthesised like And.
func Or(clauses ...string) string { return join(clauses, " or ") }

func join(clauses []string, sep string) string {
	switch len(clauses) {
	case 0:
		return ""
	case 1:
		return clauses[0]
	}
	parts := make([]string, len(clauses))
	for i, c := range clauses {
		parts[i] = "(" + c + ")"
	}
	return strings.Join(parts, sep)
}
