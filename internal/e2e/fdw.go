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
