// Package schema declares the Defender advanced hunting tables as data.
//
// The declarations live in tables.json, one entry per table, with Defender's
// exact table and column names, their KQL types and our own descriptions.
// Nothing here knows about Steampipe, KQL rendering or HTTP.
package schema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
)

// Type is a KQL scalar type as Defender's schema reports it.
type Type string

// The KQL types that appear in the advanced hunting schema.
const (
	String   Type = "string"
	DateTime Type = "datetime"
	Long     Type = "long"
	Int      Type = "int"
	Real     Type = "real"
	Bool     Type = "bool"
	Dynamic  Type = "dynamic"
	GUID     Type = "guid"
)

// Status says whether a table is generally available, in preview or deprecated.
type Status string

// Table statuses.
const (
	GA         Status = "ga"
	Preview    Status = "preview"
	Deprecated Status = "deprecated"
)

// Column is one column of an advanced hunting table.
type Column struct {
	// Name is Defender's exact, case-sensitive column name.
	Name string `json:"name"`
	// Type is the column's KQL type.
	Type Type `json:"type"`
	// JSONText is true for string columns whose values are JSON documents
	// (AdditionalFields, LoggedOnUsers, ...).
	JSONText bool `json:"json_text,omitempty"`
	// Description is a one-line description in our own words.
	Description string `json:"description"`
}

// SQLName is the column's snake_case name in SQL.
func (c Column) SQLName() string { return SnakeCase(c.Name) }

// IsJSON reports whether the column holds JSON (dynamic, or JSON text).
func (c Column) IsJSON() bool { return c.Type == Dynamic || c.JSONText }

// Table is one advanced hunting table.
type Table struct {
	// Name is Defender's exact table name, e.g. DeviceProcessEvents.
	Name string `json:"name"`
	// Product is the Defender product that feeds the table.
	Product string `json:"product"`
	// Status is ga, preview or deprecated.
	Status Status `json:"status"`
	// Kind is event, snapshot, inventory, kb or graph.
	Kind string `json:"kind"`
	// TimeColumn names the column that records event time, or is empty for
	// tables without one (inventories and knowledge bases).
	TimeColumn string `json:"time_column,omitempty"`
	// ReplacedBy names the tables that replace a deprecated one.
	ReplacedBy []string `json:"replaced_by,omitempty"`
	// Description is a one-line description in our own words.
	Description string `json:"description"`
	// Columns are the table's columns in Defender's order.
	Columns []Column `json:"columns"`
}

// SQLName is the Steampipe table name: defender_ plus the snake_case name.
func (t *Table) SQLName() string { return "defender_" + SnakeCase(t.Name) }

// Column returns the column with Defender name n, or nil.
func (t *Table) Column(n string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == n {
			return &t.Columns[i]
		}
	}
	return nil
}

//go:embed tables.json
var tablesJSON []byte

var tables = mustLoad(tablesJSON)

func mustLoad(b []byte) []*Table {
	var doc struct {
		Tables []*Table `json:"tables"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(fmt.Sprintf("schema: tables.json: %v", err))
	}
	sort.Slice(doc.Tables, func(i, j int) bool { return doc.Tables[i].Name < doc.Tables[j].Name })
	return doc.Tables
}

// Tables returns every advanced hunting table, sorted by Defender name.
// The result is shared; callers must not modify it.
func Tables() []*Table { return tables }

// Lookup returns the table with Defender name n, or nil.
func Lookup(n string) *Table {
	i := sort.Search(len(tables), func(i int) bool { return tables[i].Name >= n })
	if i < len(tables) && tables[i].Name == n {
		return tables[i]
	}
	return nil
}
