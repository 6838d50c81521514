package e2e

import (
	"fmt"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// fdwLimit is the limit the FDW sends with scan s: its LIMIT when every
// qual is on a key column of the table with an operator that key column
// declares, and none (-1) otherwise (steampipe-sdk.md §1.5: the FDW
// withholds the limit when any qual is left for Postgres alone).
func (p *Plugin) fdwLimit(s Scan) (int64, error) {
	if s.Limit < 0 {
		return -1, nil
	}
	ops, err := p.keyOperators(s.Connections[0], s.Table)
	if err != nil {
		return 0, err
	}
	for _, q := range s.Quals {
		if !ops[q.Column][q.Op] {
			return -1, nil
		}
	}
	return s.Limit, nil
}

// keyOperators returns, for each key column of a table (List and Get), the
// operators it declares; "=" when it declares none.
func (p *Plugin) keyOperators(connection, table string) (map[string]map[string]bool, error) {
	p.mu.Lock()
	sch := p.schemas[connection]
	p.mu.Unlock()
	if sch == nil {
		var err error
		if sch, err = p.pc.GetSchema(connection); err != nil {
			return nil, fmt.Errorf("schema of %s: %w", connection, err)
		}
		p.mu.Lock()
		if p.schemas == nil {
			p.schemas = map[string]*proto.Schema{}
		}
		p.schemas[connection] = sch
		p.mu.Unlock()
	}
	ts := sch.GetSchema()[table]
	if ts == nil {
		return nil, fmt.Errorf("connection %s has no table %s", connection, table)
	}
	ops := map[string]map[string]bool{}
	for _, kc := range append(ts.GetListCallKeyColumnList(), ts.GetGetCallKeyColumnList()...) {
		if ops[kc.Name] == nil {
			ops[kc.Name] = map[string]bool{}
		}
		if len(kc.Operators) == 0 {
			ops[kc.Name]["="] = true
		}
		for _, o := range kc.Operators {
			ops[kc.Name][o] = true
		}
	}
	return ops, nil
}

// fdwPaths lists the parameterised paths the FDW offers Postgres for a
// table, as sets of columns, following its path-key builder
// (types/pathkeys.go KeyColumnsToPathKeys, over the List and Get key
// columns): the required key columns form one path (one per any-of
// column, with the required ones); each optional key column adds a path,
// alone or with the required ones; and every path is offered again with
// any one column that is not a key column.
func fdwPaths(ts *proto.TableSchema) [][]string {
	var required, optional, anyOf []string
	isKey := map[string]bool{}
	for _, kc := range append(ts.GetListCallKeyColumnList(), ts.GetGetCallKeyColumnList()...) {
		if isKey[kc.Name] {
			continue
		}
		isKey[kc.Name] = true
		switch kc.Require {
		case "required":
			required = append(required, kc.Name)
		case "any_of":
			anyOf = append(anyOf, kc.Name)
		default:
			optional = append(optional, kc.Name)
		}
	}
	var base [][]string
	for _, a := range anyOf {
		base = append(base, append([]string{a}, required...))
	}
	if len(anyOf) == 0 && len(required) > 0 {
		base = append(base, required)
	}
	paths := append([][]string(nil), base...)
	for _, o := range optional {
		if len(base) == 0 {
			paths = append(paths, []string{o})
			continue
		}
		for _, b := range base {
			paths = append(paths, append(append([]string(nil), b...), o))
		}
	}
	var out [][]string
	for _, p := range paths {
		out = append(out, p)
		for _, c := range ts.GetColumns() {
			if !isKey[c.Name] {
				out = append(out, append(append([]string(nil), p...), c.Name))
			}
		}
	}
	return out
}

// JoinShape is the part of a join that touches the inner table: the
// columns it equates with the outer side (Postgres's equivalence classes,
// from which the FDW builds parameterised paths) and the columns of its
// other join conditions (inequalities, expressions that are not plain
// equalities).
type JoinShape struct {
	Equal []string
	Other []string
}

// misplanned returns a path under which Postgres would drop some of the
// shape's conditions: a path whose columns all have an equality in the
// join, while the join has a condition outside the path's equalities.
// Postgres takes a parameterised path to enforce every join condition it
// could move into it, and the FDW's path enforces only the equalities on
// its own columns.
func misplanned(paths [][]string, s JoinShape) []string {
	eq := map[string]bool{}
	for _, c := range s.Equal {
		eq[c] = true
	}
	for _, p := range paths {
		in, covered := map[string]bool{}, true
		for _, c := range p {
			in[c] = true
			covered = covered && eq[c]
		}
		if !covered {
			continue
		}
		if len(s.Other) > 0 {
			return p
		}
		for _, c := range s.Equal {
			if !in[c] {
				return p
			}
		}
	}
	return nil
}
