package engine

import (
	"strconv"
	"time"
)

// Result is the output of a query: its schema and rows.
type Result struct {
	Columns []Column
	Rows    [][]Value
	Stats   Stats
}

// stream pushes rows to yield until yield returns false. Row slices are
// only valid during the call: a stage that keeps rows must copy them.
type stream func(yield func(row []Value) bool)

// stage is a tabular intermediate result: a schema and its row stream.
type stage struct {
	cols []Column
	run  stream
	// stored marks a stage that reads a table as stored, where Kusto's
	// term index applies.
	stored bool
}

// env is what every operator needs while compiling.
type env struct {
	lets  map[string]*cexpr
	now   time.Time
	stats *Stats
}

// Run parses src and evaluates it.
func Run(src string, cat Catalog, now Clock) (*Result, error) {
	q, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return q.Eval(cat, now)
}

// Eval type-checks the query against cat and evaluates it, reading the
// clock once so that now() and ago() are constant for the whole query.
// Rows stream from the table's Scan through filters and projections; only
// sort, top, summarize and distinct keep state.
func (q *Query) Eval(cat Catalog, now Clock) (*Result, error) {
	res := &Result{Rows: [][]Value{}}
	cols, err := q.stream(cat, now, &res.Stats, func(row []Value) bool {
		res.Rows = append(res.Rows, append([]Value(nil), row...))
		return true
	})
	if err != nil {
		return nil, err
	}
	res.Columns = cols
	return res, nil
}

// Stream is Eval without collecting: it passes each result row to yield
// until yield returns false, which stops the scan. The row slice is only
// valid during the call. It returns the result columns.
func (q *Query) Stream(cat Catalog, now Clock, yield func(row []Value) bool) (cols []Column, err error) {
	return q.stream(cat, now, new(Stats), yield)
}

// stream is Stream, adding the filters' work to stats.
func (q *Query) stream(cat Catalog, now Clock, stats *Stats, yield func(row []Value) bool) (cols []Column, err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			cols, err = nil, e
		}
	}()
	st, err := q.compile(cat, now, stats)
	if err != nil {
		return nil, err
	}
	st.run(yield)
	return append([]Column(nil), st.cols...), nil
}

// compile resolves names and types and builds the row pipeline.
func (q *Query) compile(cat Catalog, now Clock, stats *Stats) (stage, error) {
	t := time.Now()
	if now != nil {
		t = now()
	}
	ev := &env{lets: map[string]*cexpr{}, now: t.UTC().Truncate(100), stats: stats}
	for _, l := range q.lets {
		sc := newScope("let", nil, ev.lets, ev.now)
		c, err := sc.compile(l.e)
		if err != nil {
			return stage{}, err
		}
		if !c.konst {
			return stage{}, semErr("let", "the value of '%s' must be a scalar constant", l.name)
		}
		ev.lets[l.name] = constant(c.t, c.value())
	}
	var st stage
	var err error
	if q.source != "" {
		if st, err = resolveTable(cat, q.source); err != nil {
			return stage{}, err
		}
	}
	for _, op := range q.ops {
		if u, ok := op.(unionOp); ok {
			st, err = applyUnion(cat, u, st)
		} else {
			st, err = ev.apply(op, st)
		}
		if err != nil {
			return stage{}, err
		}
	}
	return st, nil
}

// apply compiles one tabular operator over its input stage.
func (ev *env) apply(op tabOp, in stage) (stage, error) {
	switch o := op.(type) {
	case whereOp:
		return ev.where(o, in)
	case projectOp:
		return ev.project(o.items, in)
	case extendOp:
		return ev.extend(o.items, in)
	case awayOp:
		return projectAway(o, in)
	case takeOp:
		return ev.take(o, in)
	case sortOp:
		return ev.sort("sort", o.keys, -1, in)
	case topOp:
		n, err := ev.count("top", o.n)
		if err != nil {
			return stage{}, err
		}
		return ev.sort("top", o.keys, n, in)
	case countOp:
		return countRows(in), nil
	case summarizeOp:
		return ev.summarize(o, in)
	case distinctOp:
		return distinct(o, in)
	}
	return stage{}, semErr(op.name(), "operator not supported by the simulator")
}

func (ev *env) scope(op string, cols []Column) *scope {
	return newScope(op, cols, ev.lets, ev.now)
}

func (ev *env) where(o whereOp, in stage) (stage, error) {
	sc := ev.scope("where", in.cols)
	c, err := sc.compile(o.pred)
	if err != nil {
		return stage{}, err
	}
	pred, err := sc.asPredicate(c)
	if err != nil {
		return stage{}, err
	}
	// On a stored table the term index answers the indexable term tests
	// first; the simulator evaluates them too (it keeps no index), but
	// counts the rows they rule out as skipped rather than scanned.
	var index []func([]Value) bool
	if in.stored {
		for _, e := range indexTerms(o.pred) {
			c, err := sc.compile(e)
			if err != nil {
				return stage{}, err
			}
			p, err := sc.asPredicate(c)
			if err != nil {
				return stage{}, err
			}
			index = append(index, p)
		}
	}
	stats := ev.stats
	return stage{cols: in.cols, run: func(yield func([]Value) bool) {
		in.run(func(row []Value) bool {
			for _, p := range index {
				if !p(row) {
					stats.Skipped++
					return true
				}
			}
			stats.Scanned++
			if pred(row) {
				return yield(row)
			}
			return true
		})
	}}, nil
}

// inferName gives an unnamed expression its column name: a column keeps
// its name, d.key becomes d_key and bin(col, ...) keeps col.
func inferName(e expr) string {
	switch x := e.(type) {
	case *nameExpr:
		return x.name
	case *memberExpr:
		if b := inferName(x.x); b != "" {
			return b + "_" + x.key
		}
	case *indexExpr:
		if k, ok := x.idx.(*litExpr); ok {
			if s, ok := k.v.(string); ok {
				if b := inferName(x.x); b != "" {
					return b + "_" + s
				}
			}
		}
	case *callExpr:
		if (x.fn == "bin" || x.fn == "floor") && len(x.args) > 0 {
			return inferName(x.args[0])
		}
	}
	return ""
}

// namer hands out ColumnN names that do not clash with taken names.
type namer struct {
	n     int
	taken func(string) bool
}

func (nm *namer) next() string {
	for {
		nm.n++
		s := "Column" + strconv.Itoa(nm.n)
		if !nm.taken(s) {
			return s
		}
	}
}

func (ev *env) project(items []projItem, in stage) (stage, error) {
	sc := ev.scope("project", in.cols)
	cols := make([]Column, len(items))
	fs := make([]*cexpr, len(items))
	seen := map[string]bool{}
	nm := namer{taken: func(s string) bool { return seen[s] }}
	for i, it := range items {
		c, err := sc.compile(it.e)
		if err != nil {
			return stage{}, err
		}
		name := it.name
		if name == "" {
			name = inferName(it.e)
		}
		if name == "" {
			name = nm.next()
		}
		if seen[name] {
			return stage{}, semErr("project", "a column named '%s' is already projected", name)
		}
		seen[name] = true
		cols[i], fs[i] = Column{Name: name, Type: c.t}, c
	}
	return stage{cols: cols, run: func(yield func([]Value) bool) {
		out := make([]Value, len(fs))
		in.run(func(row []Value) bool {
			for i, f := range fs {
				out[i] = f.f(row)
			}
			return yield(out)
		})
	}}, nil
}

// extend adds or replaces columns; each item sees the ones before it.
func (ev *env) extend(items []projItem, in stage) (stage, error) {
	cols := append([]Column(nil), in.cols...)
	type slot struct {
		at int
		c  *cexpr
	}
	var slots []slot
	idx := map[string]int{}
	for i, c := range cols {
		idx[c.Name] = i
	}
	nm := namer{taken: func(s string) bool { _, ok := idx[s]; return ok }}
	for _, it := range items {
		sc := ev.scope("extend", cols)
		c, err := sc.compile(it.e)
		if err != nil {
			return stage{}, err
		}
		name := it.name
		if name == "" {
			name = inferName(it.e)
		}
		if name == "" {
			name = nm.next()
		}
		at, ok := idx[name]
		if ok {
			cols[at] = Column{Name: name, Type: c.t}
		} else {
			at = len(cols)
			idx[name] = at
			cols = append(cols, Column{Name: name, Type: c.t})
		}
		slots = append(slots, slot{at, c})
	}
	width := len(cols)
	return stage{cols: cols, run: func(yield func([]Value) bool) {
		buf := make([]Value, width)
		in.run(func(row []Value) bool {
			copy(buf, row)
			for _, s := range slots {
				buf[s.at] = s.c.f(buf)
			}
			return yield(buf)
		})
	}}, nil
}

// count evaluates a constant row count for take and top.
func (ev *env) count(op string, e expr) (int64, error) {
	c, err := ev.scope(op, nil).compile(e)
	if err != nil {
		return 0, err
	}
	if !c.konst || (c.t != TLong && c.t != TInt) {
		return 0, semErr(op, "the row count must be a constant integer")
	}
	n, ok := c.value().(int64)
	if !ok || n < 0 {
		return 0, semErr(op, "the row count must be a non-negative integer")
	}
	return n, nil
}

// take stops the upstream scan as soon as n rows have passed.
func (ev *env) take(o takeOp, in stage) (stage, error) {
	n, err := ev.count("take", o.n)
	if err != nil {
		return stage{}, err
	}
	return stage{cols: in.cols, run: func(yield func([]Value) bool) {
		if n == 0 {
			return
		}
		left := n
		in.run(func(row []Value) bool {
			left--
			return yield(row) && left > 0
		})
	}}, nil
}

// countRows yields one row with the long column Count.
func countRows(in stage) stage {
	return stage{cols: []Column{{Name: "Count", Type: TLong}}, run: func(yield func([]Value) bool) {
		var n int64
		in.run(func([]Value) bool { n++; return true })
		yield([]Value{n})
	}}
}
