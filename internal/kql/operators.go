package kql

import (
	"strconv"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// String returns the SQL spelling of o.
func (o Op) String() string {
	switch o {
	case Eq:
		return "="
	case Ne:
		return "<>"
	case Lt:
		return "<"
	case Le:
		return "<="
	case Gt:
		return ">"
	case Ge:
		return ">="
	case Like:
		return "LIKE"
	case NotLike:
		return "NOT LIKE"
	case ILike:
		return "ILIKE"
	case NotILike:
		return "NOT ILIKE"
	case In:
		return "IN"
	case NotIn:
		return "NOT IN"
	case IsNull:
		return "IS NULL"
	case IsNotNull:
		return "IS NOT NULL"
	case Distinct:
		return "IS DISTINCT FROM"
	case LikeAny:
		return "LIKE ANY"
	case ILikeAny:
		return "ILIKE ANY"
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Operators lists, in Op order, the operators that Render translates
// exactly for a column of type t; json marks a column holding JSON (a
// dynamic column, or a string column of JSON text). Only conditions with
// these operators can be sent to Defender.
func Operators(t schema.Type, json bool) []Op {
	nulls := []Op{IsNull, IsNotNull}
	if json || t == schema.Dynamic {
		return nulls
	}
	switch t {
	case schema.String:
		return []Op{Eq, Ne, Like, NotLike, ILike, NotILike, In, NotIn, IsNull, IsNotNull, LikeAny, ILikeAny}
	case schema.Long, schema.Int, schema.Real, schema.DateTime:
		return []Op{Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, IsNull, IsNotNull}
	case schema.Bool:
		return []Op{Eq, Ne, In, NotIn, IsNull, IsNotNull, Distinct}
	case schema.GUID:
		return []Op{Eq, Ne, In, NotIn, IsNull, IsNotNull}
	}
	return nil
}

// supports reports whether op is in Operators(t, json).
func supports(t schema.Type, json bool, op Op) bool {
	for _, o := range Operators(t, json) {
		if o == op {
			return true
		}
	}
	return false
}

// Exact returns nil if Render translates p exactly, and otherwise the error
// Render would return for it (wrapping ErrNotExact when the operator or the
// value simply cannot be pushed). The plugin may push a LIMIT only when
// every predicate is exact.
func Exact(p Predicate) error {
	_, err := predicate(p)
	return err
}

// Sortable reports whether Render can reproduce Postgres ordering (with
// Steampipe's NULL placement) for a column of type t. Kusto's string
// collation is undocumented and guid and JSON values have no matching
// order, so only numbers, datetimes and bools sort exactly.
func Sortable(t schema.Type, json bool) bool {
	if json {
		return false
	}
	switch t {
	case schema.Long, schema.Int, schema.Real, schema.DateTime, schema.Bool:
		return true
	}
	return false
}
