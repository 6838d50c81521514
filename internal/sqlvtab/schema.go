package sqlvtab

import (
	"sort"
	"strings"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// reserved are the columns the SDK adds to every table. They are declared
// HIDDEN, so SELECT * leaves them out, and are never requested from the
// plugin; sp_connection_name is filled in by the bridge.
var reserved = map[string]bool{"sp_connection_name": true, "sp_ctx": true, "_ctx": true}

// column is one column of a virtual table.
type column struct {
	name     string
	typ      proto.ColumnType
	ops      map[string]bool // SDK operators declared for it as a key column
	required bool            // a required key column
	hidden   bool
}

// tableDef is one plugin table as SQLite sees it: its columns in declared
// order (visible ones, then hidden input columns, then the SDK's reserved
// columns).
type tableDef struct {
	name    string
	columns []column
	index   map[string]int
}

// newTableDef builds the definition of table name from its plugin schema.
// Key columns and their operators are read from the schema's List key
// column list. Get key columns are not used: "=" on all of them would
// switch the SDK to the table's Get call.
//
// A table with a required key column is a "function": its parameters
// (required key columns, and optional ones whose only operator is =) are
// declared HIDDEN, so SELECT * leaves them out and they can be passed as
// table-valued function arguments, as in
// select * from defender_hunting_query('DeviceInfo | take 5').
func newTableDef(name string, ts *proto.TableSchema, filters func(table, column string) []string) *tableDef {
	ops := map[string]map[string]bool{}
	required := map[string]bool{}
	param := map[string]bool{}
	var keyOrder []string
	for _, kc := range ts.GetListCallKeyColumnList() {
		o := kc.Operators
		if len(o) == 0 {
			o = []string{"="}
		}
		if ops[kc.Name] == nil {
			ops[kc.Name] = map[string]bool{}
			keyOrder = append(keyOrder, kc.Name)
		}
		for _, x := range o {
			ops[kc.Name][x] = true
		}
		if kc.Require == plugin.Required {
			required[kc.Name] = true
		}
	}
	for n, o := range ops {
		param[n] = required[n] || (len(o) == 1 && o["="])
	}
	if filters != nil {
		for _, cd := range ts.GetColumns() {
			for _, x := range filters(name, cd.Name) {
				if ops[cd.Name] == nil {
					ops[cd.Name] = map[string]bool{}
				}
				ops[cd.Name][x] = true
			}
		}
	}
	isFunc := len(required) > 0

	d := &tableDef{name: name, index: map[string]int{}}
	var visible, inputs, sdk []column
	for _, cd := range ts.GetColumns() {
		c := column{name: cd.Name, typ: cd.Type, ops: ops[cd.Name], required: required[cd.Name]}
		switch {
		case reserved[cd.Name]:
			c.hidden, c.ops = true, nil
			sdk = append(sdk, c)
		case isFunc && param[cd.Name]:
			c.hidden = true
			inputs = append(inputs, c)
		default:
			visible = append(visible, c)
		}
	}
	pos := map[string]int{}
	for i, n := range keyOrder {
		pos[n] = i
	}
	sort.SliceStable(inputs, func(i, j int) bool { return pos[inputs[i].name] < pos[inputs[j].name] })
	for _, group := range [][]column{visible, inputs, sdk} {
		for _, c := range group {
			d.index[c.name] = len(d.columns)
			d.columns = append(d.columns, c)
		}
	}
	return d
}

// declaration is the CREATE TABLE statement given to sqlite3_declare_vtab.
func (d *tableDef) declaration() string {
	var b strings.Builder
	b.WriteString("CREATE TABLE x(")
	for i, c := range d.columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c.name) + " " + declType(c.typ))
		if c.hidden {
			b.WriteString(" HIDDEN")
		}
	}
	b.WriteString(")")
	return b.String()
}

// fetchable reports whether column i is requested from the plugin when a
// query uses it.
func (d *tableDef) fetchable(i int) bool { return !reserved[d.columns[i].name] }

// quoteIdent quotes a SQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
