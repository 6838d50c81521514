// Package kql renders a plain query model as Kusto Query Language text.
//
// It is pure: no I/O and no Steampipe types. Every literal goes through
// one encoder (Literal), so no SQL value can change the structure of a
// query. Render translates only what it can translate exactly; anything
// else is reported with ErrNotExact so the caller can leave it to
// Postgres and must not push a LIMIT.
package kql

import (
	"errors"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// Op is a SQL comparison in the query model. The names follow SQL, not KQL;
// Render decides the KQL shape.
type Op int

// The comparisons the model can express.
const (
	Eq        Op = iota // =
	Ne                  // <>
	Lt                  // <
	Le                  // <=
	Gt                  // >
	Ge                  // >=
	Like                // LIKE (Postgres ~~, escape character \)
	NotLike             // NOT LIKE
	ILike               // ILIKE (ASCII-only folding, as Steampipe's C-collated database)
	NotILike            // NOT ILIKE
	In                  // = ANY(list)
	NotIn               // <> ALL(list)
	IsNull              // IS NULL
	IsNotNull           // IS NOT NULL
	Distinct            // IS DISTINCT FROM: NULL, or not equal
	LikeAny             // LIKE ANY(list)
	ILikeAny            // ILIKE ANY(list)
)

// Predicate is one SQL condition on one column. Predicates in a Query are
// ANDed.
//
// Value holds the right-hand side, typed for the column:
//   - string columns (and guid): string
//   - long and int columns: int64
//   - real columns: float64
//   - bool columns: bool
//   - datetime columns: time.Time
//   - In and NotIn: []any of those, where a nil element is SQL NULL
//   - LikeAny and ILikeAny: []any of string patterns; a nil element is SQL
//     NULL and matches nothing
//   - IsNull and IsNotNull: ignored
//
// A nil Value with a comparison operator is SQL NULL: the predicate is
// never true.
//
// Stored applies to datetime columns: the predicate then holds for the
// value PostgreSQL stores for the column (pgtime.Stored: Defender's 100 ns
// ticks rounded to a microsecond, as Steampipe's FDW hands them to
// Postgres as text). Without it the exact tick is compared.
type Predicate struct {
	Column string      // Defender's exact column name
	Type   schema.Type // the column's KQL type
	JSON   bool        // the column holds JSON (dynamic, or JSON text)
	Op     Op
	Value  any
	Stored bool
}

// Order is one sort key. Render reproduces Postgres order, where ASC puts
// NULLs last and DESC puts them first; Type and JSON say how the column
// sorts, and only columns for which Sortable is true can be sorted.
type Order struct {
	Column string
	Desc   bool
	Type   schema.Type // the column's KQL type
	JSON   bool        // the column holds JSON (dynamic, or JSON text)
}

// Query is a single-table hunting query.
type Query struct {
	Table   string      // Defender's exact table name
	Where   []Predicate // ANDed
	Latest  *Latest     // when set, keep only the latest row of each group
	Project []string    // columns to keep, in order; empty keeps all
	OrderBy []Order
	Take    int64 // rows to take; 0 or less means no take
}

// Latest reduces a query to the latest row of each group: after Query.Where
// has filtered the source rows, `summarize arg_max(Time, *) by By` keeps
// one row per group with the greatest Time (a row whose Time is null loses;
// among ties, any one), under the source's column names; Where then
// filters those rows. Sorting, taking and projecting apply to the result.
type Latest struct {
	Time  string      // the column to maximise, e.g. Timestamp
	By    []string    // the group keys, e.g. DeviceId
	Where []Predicate // ANDed, on the latest rows
}

// ErrNotExact marks a predicate that has no exact KQL translation.
var ErrNotExact = errors.New("no exact KQL translation")
