package sqlvtab

import (
	"fmt"
	"strings"

	"modernc.org/sqlite/vtab"
)

// moduleName is the SQLite module behind every plugin table.
const moduleName = "steampipe"

// module creates the virtual tables: CREATE VIRTUAL TABLE x USING
// steampipe("connection", "table").
type module struct{ db *DB }

// Create declares a plugin table.
func (m *module) Create(ctx vtab.Context, args []string) (vtab.Table, error) {
	return m.Connect(ctx, args)
}

// Connect declares a plugin table.
func (m *module) Connect(ctx vtab.Context, args []string) (vtab.Table, error) {
	if len(args) != 5 {
		return nil, fmt.Errorf("%s: want 2 arguments (connection, table), got %d", moduleName, len(args)-3)
	}
	conn, name := unquote(args[3]), unquote(args[4])
	def := m.db.defs[conn][name]
	if def == nil {
		return nil, fmt.Errorf("%s: connection %q has no table %q", moduleName, conn, name)
	}
	if err := ctx.Declare(def.declaration()); err != nil {
		return nil, fmt.Errorf("%s: declare %s: %w", moduleName, name, err)
	}
	return &vtable{db: m.db, conn: conn, def: def}, nil
}

// vtable is one plugin table of one connection.
type vtable struct {
	db   *DB
	conn string
	def  *tableDef
}

func (t *vtable) key() string { return t.conn + "\x00" + t.def.name }

// BestIndex plans a scan; see bestIndex.
func (t *vtable) BestIndex(info *vtab.IndexInfo) error {
	st := t.db.current()
	st.use(t.key(), info.ColUsed)
	bestIndex(t.def, info, st.collate)
	return nil
}

// Open starts a cursor for the running statement.
func (t *vtable) Open() (vtab.Cursor, error) {
	st := t.db.current()
	st.opened()
	return &cursor{t: t, st: st}, nil
}

// Disconnect does nothing: the table holds no resources.
func (t *vtable) Disconnect() error { return nil }

// Destroy does nothing: the table holds no resources.
func (t *vtable) Destroy() error { return nil }

// columns turns a ColUsed mask into the column indexes and names to
// request from the plugin. Bit 63 stands for column 63 and every later
// one. An empty list lets the SDK pick a column (count(*)).
func (t *vtable) columns(mask uint64) ([]int, []string) {
	var idx []int
	var names []string
	for i := range t.def.columns {
		bit := min(i, 63)
		if mask&(1<<bit) == 0 || !t.def.fetchable(i) {
			continue
		}
		idx = append(idx, i)
		names = append(names, t.def.columns[i].name)
	}
	return idx, names
}

// unquote strips SQL quotes from a module argument.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 {
		switch q := s[0]; q {
		case '"', '\'', '`':
			if s[len(s)-1] == q {
				return strings.ReplaceAll(s[1:len(s)-1], string([]byte{q, q}), string(q))
			}
		case '[':
			if s[len(s)-1] == ']' {
				return s[1 : len(s)-1]
			}
		}
	}
	return s
}
