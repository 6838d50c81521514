package sqlvtab_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
)

// nativeTables are the Defender tables the differential tests read.
var nativeTables = []string{
	"DeviceProcessEvents", "DeviceNetworkEvents", "DeviceInfo", "EmailEvents",
	"UrlClickEvents", "EntraIdSignInEvents", "DeviceTvmSoftwareVulnerabilities",
}

// window is Defender's default query window: without a time condition
// only the last 30 days are searched.
const window = 30 * 24 * time.Hour

// inWindow reports whether t is inside the window now. The data end at
// dataNow, before now, and startSim made sure no row crosses the lower
// edge while the tests run.
func inWindow(t time.Time) bool {
	return t.After(time.Now().Add(-window))
}

// loadNative copies the simulator's rows into ordinary SQLite tables with
// the same names and column declarations as the bridge's tables. Only the
// rows inside the default window are loaded, because a statement with no
// time condition sees only those; the tests' own time conditions stay
// inside the window. Values are rendered independently of the bridge,
// from the simulator's data through e2e.SQLRow: timestamps as
// sqlvtab.TimeLayout text, bools as 0/1, JSON as text.
func loadNative(ctx context.Context) (*sql.DB, error) {
	n, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	n.SetMaxOpenConns(1)
	for _, name := range nativeTables {
		if err := loadTable(ctx, n, name); err != nil {
			n.Close()
			return nil, fmt.Errorf("native %s: %w", name, err)
		}
	}
	return n, nil
}

func loadTable(ctx context.Context, n *sql.DB, name string) error {
	def := schema.Lookup(name)
	tbl, ok := srv.Data().Table(name)
	if !ok || def == nil {
		return fmt.Errorf("no table %s", name)
	}
	sqlName := def.SQLName()
	cols, types, err := declaredColumns(ctx, sqlName)
	if err != nil {
		return err
	}
	var decl []string
	for i, c := range cols {
		decl = append(decl, fmt.Sprintf("%q %s", c, types[i]))
	}
	if _, err := n.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", sqlName, strings.Join(decl, ", "))); err != nil {
		return err
	}
	insert := fmt.Sprintf("INSERT INTO %s VALUES (%s)", sqlName, strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	timeIdx := -1
	for i, c := range tbl.Columns {
		if c.Name == def.TimeColumn {
			timeIdx = i
		}
	}
	var rows []e2e.Row
	tbl.Scan(func(vals []engine.Value) bool {
		if timeIdx >= 0 {
			if ts, ok := vals[timeIdx].(time.Time); !ok || !inWindow(ts) {
				return true
			}
		}
		var r e2e.Row
		if r, err = e2e.SQLRow(def, tbl.Columns, vals, srv.Tenant()); err != nil {
			return false
		}
		rows = append(rows, r)
		return true
	})
	if err != nil {
		return err
	}
	for _, r := range rows {
		args := make([]any, len(cols))
		for i, c := range cols {
			args[i] = nativeValue(r[c])
		}
		if _, err := n.ExecContext(ctx, insert, args...); err != nil {
			return err
		}
	}
	return nil
}

// nativeValue renders a value as the bridge documents it.
func nativeValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return sqlvtab.FormatTime(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case e2e.JSON:
		return string(x)
	}
	return v
}

// declaredColumns reads a bridge table's visible columns and types.
func declaredColumns(ctx context.Context, table string) ([]string, []string, error) {
	_, rows, err := db.QueryAll(ctx, "select name, type from pragma_table_info(?)", table)
	if err != nil {
		return nil, nil, err
	}
	var cols, types []string
	for _, r := range rows {
		cols = append(cols, r[0].(string))
		types = append(types, r[1].(string))
	}
	return cols, types, nil
}
