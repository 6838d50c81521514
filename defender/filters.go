package defender

import (
	"sync"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// FilterOperators lists the SDK operators whose conditions on column of
// table the plugin sends to Defender exactly. Only the time column is a
// key column (see pluginTable), but conditions on every column are read
// from QueryContext.UnsafeQuals; an engine that is not bound by the FDW's
// join planning, such as defender-sql, may push these as it pushes
// key-column operators.
func FilterOperators(table, column string) []string {
	t := kqlTablesByName()[table]
	if t == nil {
		return nil
	}
	c := t.columns[column]
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range sqlOpOrder {
		op := sqlOps[s]
		if kql.Exact(kql.Predicate{Column: c.Name, Type: c.Type, JSON: c.IsJSON(), Op: op}) == nil {
			out = append(out, s)
		}
	}
	return out
}

// sqlOpOrder is the SDK operators in the order they read in SQL.
var sqlOpOrder = []string{"=", "<>", "<", "<=", ">", ">=", "~~", "!~~", "~~*", "!~~*", "is null", "is not null"}

// kqlTables returns the tables the plugin queries with KQL: every advanced
// hunting table, then every current-state table.
func kqlTables() []*table {
	var out []*table
	for _, def := range schema.Tables() {
		out = append(out, newTable(def))
	}
	for _, cs := range schema.CurrentTables() {
		out = append(out, newCurrentTable(cs))
	}
	return out
}

// kqlTablesByName is kqlTables by SQL name, built once.
var kqlTablesByName = sync.OnceValue(func() map[string]*table {
	m := map[string]*table{}
	for _, t := range kqlTables() {
		m[t.name()] = t
	}
	return m
})
