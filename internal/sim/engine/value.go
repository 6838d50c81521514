// Package engine parses and evaluates the subset of KQL that the
// simulated Defender tenant understands.
package engine

import "time"

// Type is a KQL scalar type name: string, long, int, real, bool,
// datetime, timespan, guid or dynamic.
type Type string

// KQL scalar types.
const (
	TString   Type = "string"
	TLong     Type = "long"
	TInt      Type = "int"
	TReal     Type = "real"
	TBool     Type = "bool"
	TDateTime Type = "datetime"
	TTimespan Type = "timespan"
	TGUID     Type = "guid"
	TDynamic  Type = "dynamic"
)

// Value is one scalar. Its Go type depends on the column's KQL type:
//
//	string   → string (never nil: an absent string is "")
//	long,int → int64, or nil for null
//	real     → float64, or nil
//	bool     → bool, or nil
//	datetime → time.Time in UTC (100 ns resolution), or nil
//	timespan → time.Duration, or nil
//	guid     → GUID, or nil
//	dynamic  → Dynamic, or nil (JSON null)
type Value = any

// GUID is a guid value in lower-case hyphenated form.
type GUID string

// Dynamic is a dynamic value: the decoded JSON (map[string]any, []any,
// string, json.Number, bool).
type Dynamic struct{ V any }

// Column describes one column of a table or result.
type Column struct {
	Name string
	Type Type
}

// Table is a named table of rows. Scan calls yield for each row in
// storage order until yield returns false; row slices follow Columns and
// must not be retained or modified by the caller.
type Table struct {
	Name    string
	Columns []Column
	Scan    func(yield func(row []Value) bool)
}

// Catalog resolves table names (case-sensitive).
type Catalog interface {
	Table(name string) (*Table, bool)
}

// Clock supplies now() and ago(); it is read once per query.
type Clock func() time.Time
