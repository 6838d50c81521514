package sqlvtab

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"

	sdkgrpc "github.com/turbot/steampipe-plugin-sdk/v5/grpc"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"modernc.org/sqlite"
)

// Connection is one plugin connection: its name and the HCL body of its
// connection block (the plugin's own arguments, without plugin = ...).
type Connection struct {
	Name   string
	Config string
}

// Options configure Open.
type Options struct {
	// PluginFunc builds the plugin, as passed to plugin.Serve.
	PluginFunc plugin.PluginFunc
	// PluginName is the plugin's short name (default "plugin").
	PluginName string
	// Connections are the plugin's connections; at least one.
	Connections []Connection
	// Default names the connection whose tables are created in the main
	// schema (default: the first). Every other connection's tables are
	// in an attached schema named after it: other_conn.some_table.
	Default string
	// RateLimiters replace or add to the plugin's own rate limiters, as
	// limiter blocks in Steampipe's config do.
	RateLimiters []*proto.RateLimiterDefinition
	// Filters, when set, lists for a table's column the SDK operators
	// (as key columns declare them) that the plugin applies exactly even
	// though the column is not a key column: a plugin may read every
	// condition from QueryContext.UnsafeQuals. They are pushed like key
	// column operators.
	Filters func(table, column string) []string
}

// DB is a SQLite database whose tables are the tables of a Steampipe
// plugin running in this process. It runs one statement at a time.
type DB struct {
	srv    *sdkgrpc.PluginServer
	sqlDB  *sql.DB
	conn   *sql.Conn
	ctx    context.Context
	cancel context.CancelFunc
	defs   map[string]map[string]*tableDef // connection → table → definition
	def    string
	failed map[string]string

	mu   sync.Mutex
	cur  *statement
	idle *statement
}

var driverSeq atomic.Int64

// Open starts the plugin in-process, configures its connections and
// creates a virtual table for each of its tables. Connections other than
// the default that the plugin rejects are left out and reported by
// Failed; a rejected default connection is an error.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.PluginFunc == nil {
		return nil, errors.New("sqlvtab: no PluginFunc")
	}
	if len(o.Connections) == 0 {
		return nil, errors.New("sqlvtab: no connections")
	}
	if o.Default == "" {
		o.Default = o.Connections[0].Name
	}
	if o.PluginName == "" {
		o.PluginName = "plugin"
	}
	// The SDK runs a full garbage collection every 100 rows unless told
	// otherwise; that costs more than the rows themselves in-process.
	if os.Getenv("STEAMPIPE_FREE_MEM_INTERVAL") == "" {
		os.Setenv("STEAMPIPE_FREE_MEM_INTERVAL", "0")
	}
	db := &DB{def: o.Default, defs: map[string]map[string]*tableDef{}, failed: map[string]string{}}
	db.ctx, db.cancel = context.WithCancel(context.Background())
	db.idle = newStatement(db.ctx, "", false)
	if err := db.startPlugin(o); err != nil {
		db.cancel()
		return nil, err
	}
	if err := db.openSQLite(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// startPlugin builds the plugin server and reads each connection's schema.
func (db *DB) startPlugin(o Options) error {
	found := false
	req := &proto.SetAllConnectionConfigsRequest{MaxCacheSizeMb: -1}
	for _, c := range o.Connections {
		found = found || c.Name == o.Default
		req.Configs = append(req.Configs, &proto.ConnectionConfig{
			Connection: c.Name, Plugin: o.PluginName, PluginShortName: o.PluginName,
			PluginInstance: o.PluginName, Config: c.Config,
		})
	}
	if !found {
		return fmt.Errorf("sqlvtab: default connection %q is not among the connections", o.Default)
	}
	db.srv = plugin.Server(&plugin.ServeOpts{PluginName: o.PluginName, PluginFunc: o.PluginFunc})
	res, err := db.srv.SetAllConnectionConfigs(req)
	if err != nil {
		return fmt.Errorf("sqlvtab: configure connections: %w", err)
	}
	for name, msg := range res.GetFailedConnections() {
		if name == o.Default {
			return fmt.Errorf("connection %s: %s", name, msg)
		}
		db.failed[name] = msg
	}
	// With MaxCacheSizeMb -1 the SDK builds its query cache only here;
	// without it every scan fails.
	if _, err := db.srv.SetCacheOptions(&proto.SetCacheOptionsRequest{Enabled: false, MaxSizeMb: 1}); err != nil {
		return fmt.Errorf("sqlvtab: cache options: %w", err)
	}
	if len(o.RateLimiters) > 0 {
		if _, err := db.srv.SetRateLimiters(&proto.SetRateLimitersRequest{Definitions: o.RateLimiters}); err != nil {
			return fmt.Errorf("sqlvtab: rate limiters: %w", err)
		}
	}
	for _, c := range o.Connections {
		if _, bad := db.failed[c.Name]; bad {
			continue
		}
		sch, err := db.srv.GetSchema(&proto.GetSchemaRequest{Connection: c.Name})
		if err != nil {
			return fmt.Errorf("sqlvtab: schema of connection %s: %w", c.Name, err)
		}
		tables := map[string]*tableDef{}
		for name, ts := range sch.GetSchema().GetSchema() {
			tables[name] = newTableDef(name, ts, o.Filters)
		}
		db.defs[c.Name] = tables
	}
	return nil
}

// openSQLite opens a private in-memory database on one connection and
// creates the virtual tables. The module is registered on a driver of our
// own, so it never reaches other users of the sqlite driver.
func (db *DB) openSQLite(ctx context.Context) error {
	drv := &sqlite.Driver{}
	if err := drv.RegisterModule(moduleName, &module{db: db}); err != nil {
		return fmt.Errorf("sqlvtab: register module: %w", err)
	}
	name := fmt.Sprintf("sqlvtab-%d", driverSeq.Add(1))
	sql.Register(name, drv)
	sqlDB, err := sql.Open(name, ":memory:")
	if err != nil {
		return err
	}
	db.sqlDB = sqlDB
	// Each :memory: connection is its own database, so everything runs on
	// this one.
	if db.conn, err = sqlDB.Conn(ctx); err != nil {
		return err
	}
	for _, conn := range db.Connections() {
		schema := "main"
		if conn != db.def {
			if conn == "main" || conn == "temp" {
				continue
			}
			schema = conn
			if _, err := db.conn.ExecContext(ctx, "ATTACH DATABASE ':memory:' AS "+quoteIdent(schema)); err != nil {
				return fmt.Errorf("sqlvtab: attach %s: %w", conn, err)
			}
		}
		for _, t := range db.tableNames(conn) {
			stmt := fmt.Sprintf("CREATE VIRTUAL TABLE %s.%s USING %s(%s, %s)",
				quoteIdent(schema), quoteIdent(t), moduleName, quoteIdent(conn), quoteIdent(t))
			if _, err := db.conn.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sqlvtab: create %s: %w", t, err)
			}
		}
	}
	return nil
}

// Connections lists the configured connections, sorted.
func (db *DB) Connections() []string {
	var out []string
	for c := range db.defs {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Tables lists the default connection's tables, sorted.
func (db *DB) Tables() []string { return db.tableNames(db.def) }

func (db *DB) tableNames(conn string) []string {
	var out []string
	for t := range db.defs[conn] {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Failed returns the connections the plugin rejected, with its message.
func (db *DB) Failed() map[string]string { return db.failed }

// current is the running statement, or a stand-in for work outside
// Query (creating the tables).
func (db *DB) current() *statement {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.cur != nil {
		return db.cur
	}
	return db.idle
}

// Close cancels every scan and closes the database.
func (db *DB) Close() error {
	db.cancel()
	var errs []error
	if db.conn != nil {
		errs = append(errs, db.conn.Close())
	}
	if db.sqlDB != nil {
		errs = append(errs, db.sqlDB.Close())
	}
	return errors.Join(errs...)
}
