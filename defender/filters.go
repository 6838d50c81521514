package defender

import (
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
	var c *schema.Column
	for _, def := range schema.Tables() {
		if def.SQLName() == table {
			c = newTable(def).columns[column]
		}
	}
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
