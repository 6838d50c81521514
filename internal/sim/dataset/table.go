package dataset

import (
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// gen produces one column's value for the current row.
type gen func(c *rowCtx) engine.Value

// tableDef holds what is special about a table; columns it does not name
// fall back to the generic generators.
type tableDef struct {
	// prep chooses the row's entities before any column is generated.
	prep func(c *rowCtx)
	// cols are column-specific generators.
	cols map[string]gen
	// size is the natural row count of inventory, kb and graph tables.
	size func(d *Dataset) int
}

// defs is filled by the per-area files' init functions.
var defs = map[string]*tableDef{}

// rowCtx is the state shared by a row's column generators.
type rowCtx struct {
	d     *Dataset
	tab   *schema.Table
	r     rng
	i     int
	t     time.Time
	dev   *device
	u     *user
	p     *proc // the row's process (created, or acted on)
	ip    *proc // the initiating process
	gp    *proc // the initiating process's parent
	f     *image
	ep    endpoint
	pl    *place
	mail  *mail
	al    *alert
	item  any
	procs [3]proc
	// ipDone is set once the initiating process and its parent are
	// decided, so a missing parent stays missing.
	ipDone bool
}

// build turns a schema table into an engine table whose Scan generates rows.
func (d *Dataset) build(st *schema.Table) *engine.Table {
	def := defs[st.Name]
	if def == nil {
		def = &tableDef{}
	}
	cols := make([]engine.Column, len(st.Columns))
	gens := make([]gen, len(st.Columns))
	for k, c := range st.Columns {
		cols[k] = engine.Column{Name: c.Name, Type: engineType(c.Type)}
		g := def.cols[c.Name]
		if g == nil {
			g = genericGen(st, c)
		}
		gens[k] = withEdges(st, c, g)
	}
	plants := plantsFor(st)
	final := finals[st.Name]
	key := keyOf(st.Name)
	n := d.rows[st.Name]
	scan := func(yield func(row []engine.Value) bool) {
		c := &rowCtx{d: d, tab: st}
		row := make([]engine.Value, len(gens))
		for i := 0; i < n; i++ {
			c.reset(key, i)
			if def.prep != nil {
				def.prep(c)
			}
			for k, g := range gens {
				row[k] = g(c)
			}
			if p, ok := plants[i]; ok {
				p.apply(row)
			}
			if final != nil {
				final(c, row)
			}
			if !yield(row) {
				return
			}
		}
	}
	return &engine.Table{Name: st.Name, Columns: cols, Scan: scan}
}

// reset prepares the context for row i with default entities: a device
// chosen by activity weight and its usual user.
func (c *rowCtx) reset(key uint64, i int) {
	d := c.d
	c.i = i
	c.r = newRng(d.seed, key, i)
	c.t = d.timeOf(key, i)
	c.dev = d.t.slots[c.r.intn(len(d.t.slots))]
	c.u = c.dev.Primary
	if c.r.chance(0.3) {
		c.u = pick(&c.r, d.t.humans())
	}
	c.p, c.ip, c.gp, c.f, c.mail, c.al, c.item = nil, nil, nil, nil, nil, nil, nil
	c.ipDone = false
	c.ep = pick(&c.r, remoteEndpoints)
	c.pl = &homePlaces[c.r.intn(len(homePlaces))]
}

const (
	tick     = 100 * time.Nanosecond
	day      = 24 * time.Hour
	window   = 30 * day
	oldFirst = 31 * day
	oldLast  = 90 * day
)

// timeOf is the event time of row i of the stream key: within the last 30
// days, or for about 5% of rows between 90 and 31 days ago. Every 40th row
// repeats its predecessor's time exactly.
func (d *Dataset) timeOf(key uint64, i int) time.Time {
	if i%40 == 39 {
		i--
	}
	r := newRng(d.seed, key^0x51ed270b27a4e3c5, i)
	var ticks uint64
	if r.next()%20 == 0 {
		ticks = uint64(oldFirst/tick) + r.next()%uint64((oldLast-oldFirst)/tick)
	} else {
		ticks = r.next() % uint64(window/tick)
	}
	return d.now.Add(-time.Duration(ticks) * tick)
}
