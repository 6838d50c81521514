package engine

// compileArgMax type-checks arg_max(ExprToMaximize, * | ExprToReturn, …).
//
// Kusto semantics (arg-max-aggregation-function.md): the output holds
// the maximised value, named after its column, then the returned columns.
// With * those are every input column under its own name, except the ones
// the output already has (the by keys and the maximised column). Rows
// whose value is null lose to any other row; a group where it is null in
// every row still yields one of its rows. Among rows that tie, any one is
// returned: the simulator keeps the first it reads.
func compileArgMax(sc *scope, it aggItem, taken func(string) bool) (aggDef, error) {
	args := it.call.args
	if len(args) < 2 {
		return aggDef{}, semErr("summarize", "function 'arg_max' expects at least 2 arguments, got %d", len(args))
	}
	if _, ok := args[0].(*starExpr); ok {
		return aggDef{}, semErr("summarize", "the first argument of arg_max cannot be *")
	}
	x, err := sc.compile(args[0])
	if err != nil {
		return aggDef{}, err
	}
	if x.t == TDynamic {
		return aggDef{}, semErr("summarize", "function 'arg_max' does not accept an argument of type %s", x.t)
	}
	name := it.name
	if name == "" {
		name = inferName(args[0])
	}
	if name == "" {
		return aggDef{}, unsupportedErr(args[0].at(), "an arg_max expression that is not a column and has no name")
	}
	var (
		more []Column
		rets []*cexpr
	)
	used := map[string]bool{name: true}
	add := func(c Column, e *cexpr) {
		if taken(c.Name) || used[c.Name] {
			return
		}
		used[c.Name] = true
		more = append(more, c)
		rets = append(rets, e)
	}
	for _, a := range args[1:] {
		if _, ok := a.(*starExpr); ok {
			for _, c := range sc.cols {
				e, err := sc.compile(&nameExpr{name: c.Name})
				if err != nil {
					return aggDef{}, err
				}
				add(c, e)
			}
			continue
		}
		e, err := sc.compile(a)
		if err != nil {
			return aggDef{}, err
		}
		n := inferName(a)
		if n == "" {
			return aggDef{}, unsupportedErr(a.at(), "an arg_max return expression that is not a column")
		}
		add(Column{Name: n, Type: e.t}, e)
	}
	return aggDef{
		col:     Column{Name: name, Type: x.t},
		more:    more,
		newAggr: func() aggregator { return &argMaxAgg{x: x, rets: rets} },
	}, nil
}

// argMaxAgg keeps the returned values of the row with the greatest x.
type argMaxAgg struct {
	x     *cexpr
	rets  []*cexpr
	best  Value   // x of the kept row
	found bool    // best is not null
	vals  []Value // the kept row's returned values; nil before any row
}

func (a *argMaxAgg) add(row []Value) {
	v := a.x.f(row)
	null := sortNull(v)
	if a.vals != nil {
		if null {
			return
		}
		if c, ok := cmpAny(v, a.best); a.found && (!ok || c <= 0) {
			return
		}
	} else {
		a.vals = make([]Value, len(a.rets))
	}
	a.best, a.found = v, !null
	for i, r := range a.rets {
		a.vals[i] = r.f(row)
	}
}

func (a *argMaxAgg) result() Value { return a.best }

func (a *argMaxAgg) more() []Value {
	if a.vals == nil {
		return make([]Value, len(a.rets))
	}
	return a.vals
}
