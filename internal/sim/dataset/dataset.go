package dataset

import (
	"sort"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// DefaultRows is the number of rows of each event and snapshot table when
// Options.Rows is zero.
const DefaultRows = 200

// Options configures a dataset.
type Options struct {
	// Seed selects the data; the same seed and options give identical rows.
	Seed int64
	// Now is the tenant's current time. Event times fall in [Now-30d, Now],
	// with about 5% of rows between Now-90d and Now-31d. A zero Now means
	// the wall clock at New, truncated to the second.
	Now time.Time
	// Rows is the row count of each event and snapshot table (DefaultRows
	// if zero). Inventory, knowledge-base and graph tables have a natural
	// size derived from the tenant.
	Rows int
	// TableRows overrides the row count of individual tables, by Defender
	// table name.
	TableRows map[string]int
}

// Dataset is a simulated tenant. It is safe for concurrent use.
type Dataset struct {
	seed   int64
	now    time.Time
	t      *tenant
	nProc  int // rows of DeviceProcessEvents
	rows   map[string]int
	tables map[string]*engine.Table
	names  []string
	tvm    *tvmData
	gnodes []node
	gedges []edge
}

// New builds a dataset. It generates no rows: scans produce them lazily.
func New(o Options) *Dataset {
	now := o.Now
	if now.IsZero() {
		now = time.Now().Truncate(time.Second)
	}
	d := &Dataset{
		seed: o.Seed, now: now.UTC().Truncate(100 * time.Nanosecond),
		t:    newTenant(o.Seed),
		rows: map[string]int{}, tables: map[string]*engine.Table{},
	}
	d.tvm = newTVM(d)
	d.gnodes, d.gedges = d.nodes(), d.edges()
	n := o.Rows
	if n <= 0 {
		n = DefaultRows
	}
	for _, st := range schema.Tables() {
		rows := n
		if def := defs[st.Name]; def != nil && def.size != nil {
			rows = def.size(d)
		}
		if v, ok := o.TableRows[st.Name]; ok && v >= 0 {
			rows = v
		}
		d.rows[st.Name] = rows
	}
	d.nProc = d.rows["DeviceProcessEvents"]
	for _, st := range schema.Tables() {
		d.tables[st.Name] = d.build(st)
		d.names = append(d.names, st.Name)
	}
	sort.Strings(d.names)
	return d
}

// Table returns the named table (Defender's exact, case-sensitive name).
// It implements engine.Catalog.
func (d *Dataset) Table(name string) (*engine.Table, bool) {
	t, ok := d.tables[name]
	return t, ok
}

// Names returns every table name, sorted.
func (d *Dataset) Names() []string { return append([]string(nil), d.names...) }

// Now returns the tenant's current time.
func (d *Dataset) Now() time.Time { return d.now }

// Rows returns the number of rows in the named table, or 0.
func (d *Dataset) Rows(name string) int { return d.rows[name] }

var _ engine.Catalog = (*Dataset)(nil)

// engineType maps a schema type to the engine's type of the same name.
func engineType(t schema.Type) engine.Type { return engine.Type(t) }
