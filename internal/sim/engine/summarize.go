package engine

import (
	"strconv"
	"time"
)

// aggregator accumulates one aggregation over the rows of one group.
// Aggregates skip nulls; count() counts rows.
type aggregator interface {
	add(row []Value)
	result() Value
}

// aggDef is a compiled aggregation: its output column and a factory.
// An aggregation that returns a whole row (arg_max) has more columns,
// and its aggregator is a rowAggregator.
type aggDef struct {
	col     Column
	newAggr func() aggregator
	more    []Column // nil but for arg_max
}

// rowAggregator is an aggregator whose result is several columns: the
// value of result() and then more().
type rowAggregator interface {
	aggregator
	more() []Value
}

// defaultAggPrefix names an unnamed aggregation: prefix plus the column name.
var defaultAggPrefix = map[string]string{
	"count": "count_", "countif": "countif_", "dcount": "dcount_", "sum": "sum_", "min": "min_",
	"max": "max_", "avg": "avg_", "make_set": "set_", "take_any": "any_",
}

// compileAgg type-checks one aggregation call. taken reports the output
// column names already in use (the by keys and earlier aggregations).
func (ev *env) compileAgg(sc *scope, it aggItem, taken func(string) bool) (aggDef, error) {
	fn := it.call.fn
	if fn == "arg_max" {
		return compileArgMax(sc, it, taken)
	}
	prefix, ok := defaultAggPrefix[fn]
	if !ok {
		return aggDef{}, semErr("summarize", "'%s' is not an aggregation function supported by the simulator", fn)
	}
	want := map[string][2]int{
		"count": {0, 0}, "countif": {1, 1}, "dcount": {1, 2}, "sum": {1, 1}, "min": {1, 1},
		"max": {1, 1}, "avg": {1, 1}, "make_set": {1, 2}, "take_any": {1, 1},
	}[fn]
	if n := len(it.call.args); n < want[0] || n > want[1] {
		return aggDef{}, semErr("summarize", "function '%s' expects %d to %d arguments, got %d", fn, want[0], want[1], n)
	}
	args := make([]*cexpr, len(it.call.args))
	for i, a := range it.call.args {
		c, err := sc.compile(a)
		if err != nil {
			return aggDef{}, err
		}
		args[i] = c
	}
	name := it.name
	if name == "" {
		name = prefix
		if fn != "count" && fn != "countif" {
			name += inferName(it.call.args[0])
		}
	}
	var x *cexpr
	if len(args) > 0 {
		x = args[0]
	}
	bad := func() (aggDef, error) {
		return aggDef{}, semErr("summarize", "function '%s' does not accept an argument of type %s", fn, x.t)
	}
	switch fn {
	case "count":
		return aggDef{col: Column{name, TLong}, newAggr: func() aggregator { return &countAgg{} }}, nil
	case "countif":
		if x.t != TBool {
			return bad()
		}
		return aggDef{col: Column{name, TLong}, newAggr: func() aggregator { return &countAgg{pred: x} }}, nil
	case "dcount":
		return aggDef{col: Column{name, TLong}, newAggr: func() aggregator { return &dcountAgg{x: x, seen: map[string]bool{}} }}, nil
	case "sum":
		t := x.t
		switch {
		case t == TInt:
			t = TLong
		case !isNumeric(t) && t != TTimespan:
			return bad()
		}
		return aggDef{col: Column{name, t}, newAggr: func() aggregator { return &sumAgg{x: x, t: t} }}, nil
	case "min", "max":
		if x.t == TDynamic {
			return bad()
		}
		sign := 1
		if fn == "min" {
			sign = -1
		}
		return aggDef{col: Column{name, x.t}, newAggr: func() aggregator { return &extremeAgg{x: x, sign: sign} }}, nil
	case "avg":
		if !isNumeric(x.t) {
			return bad()
		}
		return aggDef{col: Column{name, TReal}, newAggr: func() aggregator { return &avgAgg{x: x} }}, nil
	case "make_set":
		limit := int64(1048576)
		if len(args) == 2 {
			n, ok := args[1].value().(int64)
			if !args[1].konst || !ok || n <= 0 {
				return aggDef{}, semErr("summarize", "the size limit of make_set must be a positive constant")
			}
			limit = n
		}
		return aggDef{col: Column{name, TDynamic}, newAggr: func() aggregator { return &setAgg{x: x, limit: limit, seen: map[string]bool{}} }}, nil
	}
	return aggDef{col: Column{name, x.t}, newAggr: func() aggregator { return &anyAgg{x: x} }}, nil
}

type countAgg struct {
	pred *cexpr
	n    int64
}

func (a *countAgg) add(row []Value) {
	if a.pred == nil {
		a.n++
		return
	}
	if b, _ := a.pred.f(row).(bool); b {
		a.n++
	}
}
func (a *countAgg) result() Value { return a.n }

type dcountAgg struct {
	x    *cexpr
	seen map[string]bool
	key  []byte
}

func (a *dcountAgg) add(row []Value) {
	v := a.x.f(row)
	if v == nil {
		return
	}
	a.key = appendKey(a.key[:0], []Value{v})
	if !a.seen[string(a.key)] {
		a.seen[string(a.key)] = true
	}
}
func (a *dcountAgg) result() Value { return int64(len(a.seen)) }

type sumAgg struct {
	x *cexpr
	t Type
	i int64
	f float64
}

func (a *sumAgg) add(row []Value) {
	switch v := a.x.f(row).(type) {
	case int64:
		a.i += v
	case float64:
		a.f += v
	case time.Duration:
		a.i += int64(v)
	}
}

func (a *sumAgg) result() Value {
	switch a.t {
	case TReal:
		return a.f + float64(a.i)
	case TTimespan:
		return time.Duration(a.i)
	}
	return a.i
}

// extremeAgg is min (sign -1) or max (sign 1).
type extremeAgg struct {
	x    *cexpr
	sign int
	best Value
}

func (a *extremeAgg) add(row []Value) {
	v := a.x.f(row)
	if sortNull(v) {
		return
	}
	if a.best == nil {
		a.best = v
		return
	}
	if c, ok := cmpAny(v, a.best); ok && c*a.sign > 0 {
		a.best = v
	}
}
func (a *extremeAgg) result() Value { return a.best }

type avgAgg struct {
	x   *cexpr
	sum float64
	n   int64
}

func (a *avgAgg) add(row []Value) {
	if v := a.x.f(row); v != nil {
		a.sum += toFloat(v)
		a.n++
	}
}

func (a *avgAgg) result() Value {
	if a.n == 0 {
		return nil
	}
	return a.sum / float64(a.n)
}

type setAgg struct {
	x     *cexpr
	limit int64
	seen  map[string]bool
	vals  []any
	key   []byte
}

func (a *setAgg) add(row []Value) {
	v := a.x.f(row)
	if v == nil || int64(len(a.vals)) >= a.limit {
		return
	}
	a.key = appendKey(a.key[:0], []Value{v})
	if !a.seen[string(a.key)] {
		a.seen[string(a.key)] = true
		a.vals = append(a.vals, toJSON(v))
	}
}

func (a *setAgg) result() Value {
	return Dynamic{V: append([]any{}, a.vals...)}
}

type anyAgg struct {
	x   *cexpr
	v   Value
	set bool
}

func (a *anyAgg) add(row []Value) {
	if !a.set {
		if v := a.x.f(row); v != nil {
			a.v, a.set = v, true
		}
	}
}
func (a *anyAgg) result() Value { return a.v }

// group is the state of one summarize group.
type group struct {
	keys []Value
	aggs []aggregator
}

// summarize groups rows by the by-expressions and aggregates each group.
// Output columns are the by columns then the aggregations. With no by
// clause an empty input still yields one row of defaults.
func (ev *env) summarize(o summarizeOp, in stage) (stage, error) {
	sc := ev.scope("summarize", in.cols)
	var cols []Column
	seen := map[string]bool{}
	nm := namer{taken: func(s string) bool { return seen[s] }}
	unique := func(name string) string {
		base := name
		for i := 1; seen[name]; i++ {
			name = base + strconv.Itoa(i)
		}
		seen[name] = true
		return name
	}
	byExprs := make([]*cexpr, len(o.by))
	for i, it := range o.by {
		c, err := sc.compile(it.e)
		if err != nil {
			return stage{}, err
		}
		if c.t == TDynamic {
			return stage{}, semErr("summarize", "a group key of type dynamic is not allowed; convert it with tostring()")
		}
		name := it.name
		if name == "" {
			name = inferName(it.e)
		}
		if name == "" {
			name = nm.next()
		}
		if seen[name] {
			return stage{}, semErr("summarize", "a column named '%s' already exists", name)
		}
		seen[name] = true
		byExprs[i] = c
		cols = append(cols, Column{Name: name, Type: c.t})
	}
	defs := make([]aggDef, len(o.aggs))
	for i, it := range o.aggs {
		d, err := ev.compileAgg(sc, it, func(n string) bool { return seen[n] })
		if err != nil {
			return stage{}, err
		}
		if it.name != "" && seen[it.name] {
			return stage{}, semErr("summarize", "a column named '%s' already exists", it.name)
		}
		d.col.Name = unique(d.col.Name)
		cols = append(cols, d.col)
		for _, c := range d.more {
			seen[c.Name] = true
		}
		cols = append(cols, d.more...)
		defs[i] = d
	}
	newGroup := func(keys []Value) *group {
		g := &group{keys: keys, aggs: make([]aggregator, len(defs))}
		for i, d := range defs {
			g.aggs[i] = d.newAggr()
		}
		return g
	}
	return stage{cols: cols, run: func(yield func([]Value) bool) {
		groups := map[string]*group{}
		var order []*group
		keys := make([]Value, len(byExprs))
		var key []byte
		in.run(func(row []Value) bool {
			for i, c := range byExprs {
				keys[i] = c.f(row)
			}
			key = appendKey(key[:0], keys)
			g, ok := groups[string(key)]
			if !ok {
				g = newGroup(append([]Value(nil), keys...))
				groups[string(key)] = g
				order = append(order, g)
			}
			for _, a := range g.aggs {
				a.add(row)
			}
			return true
		})
		if len(order) == 0 && len(byExprs) == 0 {
			order = append(order, newGroup(nil))
		}
		for _, g := range order {
			out := append([]Value(nil), g.keys...)
			for _, a := range g.aggs {
				out = append(out, a.result())
				if r, ok := a.(rowAggregator); ok {
					out = append(out, r.more()...)
				}
			}
			if !yield(out) {
				return
			}
		}
	}}, nil
}
