// Package pgbed runs SQL written for Steampipe in a real PostgreSQL whose
// tables hold what the plugin returns from the simulator.
//
// Open starts a throw-away PostgreSQL cluster (internal/pgtest), the
// simulator with a small data set, and the built plugin binary connected to
// it over go-plugin, as internal/e2e does. Query then loads every
// defender_* table its SQL names, reading the rows through the plugin, into
// an ordinary table of the same name and column types in schema public, and
// runs the SQL unchanged. Each value is handed to PostgreSQL as Steampipe's
// FDW hands it (see value.go), so PostgreSQL does its own rounding of
// timestamps and its own parsing of JSON.
//
// A table is read once, over the plugin's default time window (Defender's
// last 30 days, which is where the simulator puts almost all its rows), and
// then serves every later query. defender_hunting_query is read per KQL
// text: Query runs each query = '...' literal of the SQL through the plugin,
// with the SQL's timespan = '...' literal if there is one, and appends the
// result rows, which PostgreSQL then selects by the same conditions.
package pgbed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtest"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// Bed is a PostgreSQL database filled on demand through the plugin. It is
// not safe for concurrent use.
type Bed struct {
	pg   *pgtest.Server
	sim  *sim.Server
	plug *e2e.Plugin
	dir  string

	tables  map[string]*proto.TableSchema // the plugin's schema, by table name
	loaded  map[string]bool               // tables created and filled
	queries map[huntingQuery]bool         // KQL texts already run
}

// DB is the database the tables are loaded into.
func (b *Bed) DB() *sql.DB { return b.pg.DB() }

// Query loads the tables sql refers to, runs it and returns its rows, each
// keyed by column name. Values are what database/sql gives for the column
// type: string, int64, float64, bool, time.Time (UTC) or nil; jsonb is
// its text.
func (b *Bed) Query(ctx context.Context, sql string) ([]map[string]any, error) {
	if err := b.Load(ctx, sql); err != nil {
		return nil, err
	}
	rows, err := b.DB().QueryContext(ctx, sql)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := make(map[string]any, len(cols))
		for i, c := range cols {
			switch v := vals[i].(type) {
			case []byte:
				r[c] = string(v)
			case time.Time:
				r[c] = v.UTC()
			default:
				r[c] = v
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Load creates and fills the tables sql refers to that are not loaded yet,
// runs its defender_hunting_query queries, and creates the stand-ins it
// names for other plugins' tables (standins.go).
func (b *Bed) Load(ctx context.Context, sql string) error {
	refs, err := references(sql, b.tables)
	if err != nil {
		return err
	}
	for _, name := range refs.tables {
		if b.loaded[name] {
			continue
		}
		if err := b.loadTable(ctx, name); err != nil {
			return err
		}
		b.loaded[name] = true
	}
	for _, q := range refs.hunting {
		if b.queries[q] {
			continue
		}
		if err := b.fill(ctx, huntingQueryTable, q.quals()); err != nil {
			// Leave no partial result behind for a later attempt.
			b.DB().ExecContext(ctx, "delete from public."+huntingQueryTable+" where query = $1 and coalesce(timespan, '') = $2",
				q.query, q.timespan)
			return fmt.Errorf("pgbed: hunting query %q: %w", q.query, err)
		}
		b.queries[q] = true
	}
	return b.loadStandIns(ctx, sql)
}

// loadTable creates table name and, unless it is defender_hunting_query,
// fills it; on failure it drops the table again.
func (b *Bed) loadTable(ctx context.Context, name string) error {
	if err := b.create(ctx, name); err != nil {
		return err
	}
	if name == huntingQueryTable {
		return nil
	}
	if err := b.fill(ctx, name, nil); err != nil {
		b.DB().ExecContext(ctx, "drop table public."+quoteIdent(name))
		return err
	}
	return nil
}

// Close stops the plugin, the simulator and PostgreSQL.
func (b *Bed) Close() error {
	var errs []error
	if b.plug != nil {
		b.plug.Close()
	}
	if b.sim != nil {
		errs = append(errs, b.sim.Close())
	}
	if b.pg != nil {
		errs = append(errs, b.pg.Stop())
	}
	if b.dir != "" {
		errs = append(errs, os.RemoveAll(b.dir))
	}
	return errors.Join(errs...)
}
