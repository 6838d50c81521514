package engine

// unionOp is union over named tables, either as the query source or piped
// after an input (T | union U, which treats the input as the first leg).
type unionOp struct {
	tables     []string
	inner      bool   // kind=inner keeps only the columns every leg has
	withSource string // optional column naming each row's table
	piped      bool
}

func (unionOp) name() string { return "union" }

// union parses: "union" { ("kind" "=" ("outer"|"inner")) | ("withsource" "=" name) } name { "," name }.
// The union keyword has been consumed.
func (p *parser) union(piped bool) (tabOp, error) {
	op := unionOp{piped: piped}
	for p.peekN(1).kind == tkPunct && p.peekN(1).text == "=" {
		t := p.take()
		p.take()
		switch t.text {
		case "kind":
			switch {
			case p.accept("outer"):
			case p.accept("inner"):
				op.inner = true
			default:
				return nil, p.fail("expected 'outer' or 'inner'")
			}
		case "withsource":
			if piped {
				return nil, unsupportedErr(t.pos, "withsource on a piped union")
			}
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			op.withSource = n
		default:
			return nil, unsupportedErr(t.pos, "the union option '"+t.text+"'")
		}
	}
	for {
		t := p.peek()
		if t.kind == tkPunct && t.text == "(" {
			return nil, unsupportedErr(t.pos, "a sub-query inside union")
		}
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		if nx := p.peek(); nx.kind == tkPunct && nx.text == "*" && !nx.space {
			return nil, unsupportedErr(t.pos, "a wildcard table name in union")
		}
		op.tables = append(op.tables, n)
		if !p.accept(",") {
			return op, nil
		}
	}
}

// unionStages merges the legs. Outer union keeps every column in order of
// first appearance, renaming same-named columns of different types to
// name_type; missing values are null ("" for strings, which are never null).
func unionStages(op unionOp, legs []stage, names []string) stage {
	type key struct {
		name string
		t    Type
	}
	var order []key
	count := map[key]int{}
	types := map[string]map[Type]bool{}
	for _, l := range legs {
		for _, c := range l.cols {
			k := key{c.Name, c.Type}
			if count[k] == 0 {
				order = append(order, k)
			}
			count[k]++
			if types[c.Name] == nil {
				types[c.Name] = map[Type]bool{}
			}
			types[c.Name][c.Type] = true
		}
	}
	var cols []Column
	if op.withSource != "" {
		cols = append(cols, Column{Name: op.withSource, Type: TString})
	}
	at := map[key]int{}
	for _, k := range order {
		if op.inner && count[k] < len(legs) {
			continue
		}
		name := k.name
		if len(types[k.name]) > 1 {
			name = k.name + "_" + string(k.t)
		}
		at[k] = len(cols)
		cols = append(cols, Column{Name: name, Type: k.t})
	}
	defaults := make([]Value, len(cols))
	for i, c := range cols {
		if c.Type == TString {
			defaults[i] = ""
		}
	}
	maps := make([][]int, len(legs))
	for i, l := range legs {
		maps[i] = make([]int, len(l.cols))
		for j, c := range l.cols {
			if pos, ok := at[key{c.Name, c.Type}]; ok {
				maps[i][j] = pos
			} else {
				maps[i][j] = -1
			}
		}
	}
	return stage{cols: cols, run: func(yield func([]Value) bool) {
		out := make([]Value, len(cols))
		for i, l := range legs {
			stopped := false
			l.run(func(row []Value) bool {
				copy(out, defaults)
				if op.withSource != "" {
					out[0] = names[i]
				}
				for j, v := range row {
					if m := maps[i][j]; m >= 0 {
						out[m] = v
					}
				}
				if !yield(out) {
					stopped = true
					return false
				}
				return true
			})
			if stopped {
				return
			}
		}
	}}
}

// resolveTable looks a table up in the catalog.
func resolveTable(cat Catalog, name string) (stage, error) {
	tbl, ok := cat.Table(name)
	if !ok {
		e := semErr("", "Failed to resolve table expression named '%s'", name)
		e.Message = "SEM0100: " + e.Message
		return stage{}, e
	}
	return stage{cols: tbl.Columns, run: tbl.Scan, stored: true}, nil
}

// applyUnion evaluates a union source or a piped union.
func applyUnion(cat Catalog, op unionOp, in stage) (stage, error) {
	var legs []stage
	var names []string
	if op.piped {
		legs, names = append(legs, in), append(names, "")
	}
	for _, n := range op.tables {
		st, err := resolveTable(cat, n)
		if err != nil {
			return stage{}, err
		}
		legs, names = append(legs, st), append(names, n)
	}
	return unionStages(op, legs, names), nil
}
