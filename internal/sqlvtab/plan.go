package sqlvtab

import (
	"encoding/json"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"modernc.org/sqlite/vtab"
)

// term is one constraint the plan hands to Filter: the column and the
// SQLite operator. Its argument is the Filter value at the same position.
type term struct {
	Col int               `json:"c"`
	Op  vtab.ConstraintOp `json:"o"`
}

// plan is what BestIndex decides and Filter carries out. It travels in
// IdxStr as JSON.
type plan struct {
	Terms []term `json:"t,omitempty"`
	// Limit and Offset are the argument positions of LIMIT and OFFSET, or
	// -1. LIMIT is taken only when every WHERE term was pushed exactly and
	// there is no ORDER BY; SQLite still applies both itself.
	Limit  int `json:"l"`
	Offset int `json:"f"`
	// Used is SQLite's ColUsed mask for this scan.
	Used uint64 `json:"u"`
}

func (p *plan) encode() string {
	b, _ := json.Marshal(p)
	return string(b)
}

func decodePlan(s string) (*plan, error) {
	p := &plan{Limit: -1, Offset: -1}
	if s == "" {
		return p, nil
	}
	return p, json.Unmarshal([]byte(s), p)
}

// Costs. A full scan costs fullCost; a constrained plan costs between
// half and all of it, never less: otherwise SQLite may answer an OR of
// two constraints with two scans de-duplicated by rowid, and plugin rows
// have no stable rowid. A plan that lacks a required key column costs
// missingRequiredCost instead of failing, so SQLite picks another plan
// when there is one.
const (
	fullRows            = 100000
	fullCost            = 1e6
	missingRequiredCost = 1e30
)

// bestIndex plans a scan of d: which usable constraints reach the plugin,
// whether LIMIT/OFFSET do, and the costs. It never sets Omit or
// OrderByConsumed, so SQLite re-checks every row and sorts itself; the
// plugin only has to return a superset of the answer.
func bestIndex(d *tableDef, info *vtab.IndexInfo, noStringPush bool) *plan {
	p := &plan{Limit: -1, Offset: -1, Used: info.ColUsed}
	exact := true
	limitAt, offsetAt := -1, -1
	sel := 1.0
	have := map[int]bool{}
	for i, c := range info.Constraints {
		switch c.Op {
		case vtab.OpLIMIT:
			if c.Usable {
				limitAt = i
			}
			continue
		case vtab.OpOFFSET:
			if c.Usable {
				offsetAt = i
			}
			continue
		}
		if !c.Usable || c.Column < 0 || c.Column >= len(d.columns) {
			exact = false
			continue
		}
		ok, ex, s := pushable(d.columns[c.Column], c.Op, noStringPush)
		if !ok {
			exact = false
			continue
		}
		info.Constraints[i].ArgIndex = len(p.Terms)
		p.Terms = append(p.Terms, term{Col: c.Column, Op: c.Op})
		exact = exact && ex
		sel *= s
		if c.Op == vtab.OpEQ || c.Op == vtab.OpIS {
			have[c.Column] = true
		}
	}
	if limitAt >= 0 && exact && len(info.OrderBy) == 0 {
		n := len(p.Terms)
		info.Constraints[limitAt].ArgIndex = n
		p.Limit = n
		if offsetAt >= 0 {
			info.Constraints[offsetAt].ArgIndex = n + 1
			p.Offset = n + 1
		}
	}
	info.EstimatedRows = int64(max(1, fullRows*sel))
	info.EstimatedCost = fullCost * (0.5 + 0.5*sel)
	for i, c := range d.columns {
		if c.required && !have[i] {
			info.EstimatedCost = missingRequiredCost
		}
	}
	info.IdxStr = p.encode()
	return p
}

// pushable reports whether a constraint op on column c can reach the
// plugin, whether it is exact (the plugin then returns exactly the rows
// SQLite keeps, as far as can be known before the value is seen), and a
// rough selectivity for costing.
func pushable(c column, op vtab.ConstraintOp, noStringPush bool) (ok, exact bool, sel float64) {
	has := func(ops ...string) bool {
		for _, o := range ops {
			if !c.ops[o] {
				return false
			}
		}
		return len(c.ops) > 0
	}
	switch op {
	case vtab.OpISNULL:
		return has("is null"), true, 0.3
	case vtab.OpISNOTNULL:
		return has("is not null"), true, 0.8
	case vtab.OpISNOT:
		return has("is not null"), false, 0.8
	}
	kind := valueKind(c.typ)
	if kind == kindNone || (kind == kindString && noStringPush) {
		return false, false, 1
	}
	switch op {
	case vtab.OpEQ, vtab.OpIS:
		ex := op == vtab.OpEQ || has("is null")
		if kind == kindTime {
			return has(">=", "<"), ex, 0.1
		}
		return has("="), ex, 0.1
	case vtab.OpGT, vtab.OpGE:
		if kind == kindTime {
			return has(">="), true, 0.5
		}
		return has(sdkOp(op)), kind != kindString, 0.5
	case vtab.OpLT, vtab.OpLE:
		if kind == kindTime {
			return has("<"), true, 0.5
		}
		return has(sdkOp(op)), kind != kindString, 0.5
	case vtab.OpNE:
		return has("<>"), false, 0.9
	case vtab.OpLIKE:
		return kind == kindString && has("~~*"), false, 0.5
	case vtab.OpGLOB:
		return kind == kindString && has("~~"), false, 0.5
	}
	return false, false, 1
}

// sdkOp is the SDK operator for a plain comparison.
func sdkOp(op vtab.ConstraintOp) string {
	switch op {
	case vtab.OpEQ, vtab.OpIS:
		return "="
	case vtab.OpGT:
		return ">"
	case vtab.OpGE:
		return ">="
	case vtab.OpLT:
		return "<"
	case vtab.OpLE:
		return "<="
	case vtab.OpNE:
		return "<>"
	}
	return ""
}

// kind groups SDK column types by how a constraint value is coerced.
type kind int

const (
	kindNone kind = iota // never pushed (JSON, IP addresses, ...)
	kindString
	kindInt
	kindDouble
	kindBool
	kindTime
)

func valueKind(t proto.ColumnType) kind {
	switch t {
	case proto.ColumnType_STRING:
		return kindString
	case proto.ColumnType_INT:
		return kindInt
	case proto.ColumnType_DOUBLE:
		return kindDouble
	case proto.ColumnType_BOOL:
		return kindBool
	case proto.ColumnType_TIMESTAMP:
		return kindTime
	}
	return kindNone
}
