package sqlvtab

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"modernc.org/sqlite/vtab"
)

// qualSet is the quals of one scan, with a canonical key per qual for the
// statement's memo.
type qualSet struct {
	quals map[string]*proto.Quals
	keys  []string
	// exact is false when some constraint was not pushed, or pushed only
	// as a superset, so the LIMIT must not reach the plugin.
	exact bool
	// none is set when no row can match (a comparison with NULL, or an
	// equality no value of the column can meet): the plugin is not called.
	none bool
}

func (s *qualSet) add(col, op string, v *proto.QualValue, key string) {
	if s.quals[col] == nil {
		s.quals[col] = &proto.Quals{}
	}
	s.quals[col].Quals = append(s.quals[col].Quals, &proto.Qual{
		FieldName: col,
		Operator:  &proto.Qual_StringValue{StringValue: op},
		Value:     v,
	})
	s.keys = append(s.keys, col+"\x00"+op+"\x00"+key)
}

// buildQuals turns the plan's terms and their Filter arguments into SDK
// quals, coercing each value to the column's type exactly as SQLite would
// compare it, and dropping the qual when that is not possible losslessly.
// Terms marked in skip are left out.
func buildQuals(d *tableDef, p *plan, args []vtab.Value, skip []bool) *qualSet {
	s := &qualSet{quals: map[string]*proto.Quals{}, exact: true}
	for i, t := range p.Terms {
		if i >= len(args) || (i < len(skip) && skip[i]) {
			s.exact = false
			continue
		}
		pushed, exact := s.term(d.columns[t.Col], t.Op, args[i])
		s.exact = s.exact && pushed && exact
	}
	sort.Strings(s.keys)
	return s
}

// term adds the quals for one constraint.
func (s *qualSet) term(c column, op vtab.ConstraintOp, v vtab.Value) (pushed, exact bool) {
	switch op {
	case vtab.OpISNULL:
		s.add(c.name, "is null", nil, "")
		return true, true
	case vtab.OpISNOTNULL:
		s.add(c.name, "is not null", nil, "")
		return true, true
	case vtab.OpIS:
		if v == nil {
			if !c.ops["is null"] {
				return false, false
			}
			s.add(c.name, "is null", nil, "")
			return true, true
		}
		op = vtab.OpEQ
	case vtab.OpISNOT:
		if v == nil {
			s.add(c.name, "is not null", nil, "")
			return true, true
		}
		return false, false
	}
	if v == nil {
		// Any comparison with NULL is NULL, which no row satisfies.
		s.none = true
		return true, true
	}
	switch op {
	case vtab.OpLIKE:
		p, ok := textArg(v)
		if !ok {
			return false, false
		}
		s.add(c.name, "~~*", strValue(likeToILike(p)), likeToILike(p))
		return true, false
	case vtab.OpGLOB:
		p, ok := textArg(v)
		if !ok {
			return false, false
		}
		like, ok := globToLike(p)
		if !ok {
			return false, false
		}
		s.add(c.name, "~~", strValue(like), like)
		return true, false
	}
	switch valueKind(c.typ) {
	case kindString:
		return s.stringTerm(c, op, v)
	case kindInt, kindDouble:
		return s.numberTerm(c, op, v)
	case kindBool:
		return s.boolTerm(c, op, v)
	case kindTime:
		return s.timeTerm(c, op, v)
	}
	return false, false
}

func (s *qualSet) stringTerm(c column, op vtab.ConstraintOp, v vtab.Value) (bool, bool) {
	str, ok := textArg(v)
	if !ok {
		return false, false
	}
	s.add(c.name, sdkOp(op), strValue(str), str)
	return true, op == vtab.OpEQ
}

// numberTerm pushes a comparison on an INT or DOUBLE column. Text that
// SQLite would read as a number counts as that number; other text is
// never pushed (SQLite orders every number before every text).
func (s *qualSet) numberTerm(c column, op vtab.ConstraintOp, v vtab.Value) (bool, bool) {
	var f float64
	isInt := false
	var n int64
	switch x := v.(type) {
	case int64:
		n, isInt, f = x, true, float64(x)
	case float64:
		f = x
	case string:
		var ok bool
		if n, f, isInt, ok = parseNumber(x); !ok {
			return false, false
		}
	default:
		return false, false
	}
	if !isInt && f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 {
		n, isInt = int64(f), true
	}
	exact := op != vtab.OpNE
	if valueKind(c.typ) == kindDouble {
		if isInt {
			f = float64(n)
		}
		s.add(c.name, sdkOp(op), &proto.QualValue{Value: &proto.QualValue_DoubleValue{DoubleValue: f}}, "f"+strconv.FormatFloat(f, 'g', -1, 64))
		return true, exact
	}
	if isInt {
		s.add(c.name, sdkOp(op), &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: n}}, "i"+strconv.FormatInt(n, 10))
		return true, exact
	}
	if math.Abs(f) >= 1<<62 {
		return false, false
	}
	// A fraction compared with an integer column: x > 2.5 is x >= 3 and
	// x < 2.5 is x <= 2.
	switch op {
	case vtab.OpEQ:
		s.none = true // no integer equals a fraction
		return true, true
	case vtab.OpGT, vtab.OpGE:
		return s.intBound(c, ">=", math.Ceil(f))
	case vtab.OpLT, vtab.OpLE:
		return s.intBound(c, "<=", math.Floor(f))
	}
	return false, false
}

func (s *qualSet) intBound(c column, op string, f float64) (bool, bool) {
	if !c.ops[op] {
		return false, false
	}
	n := int64(f)
	s.add(c.name, op, &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: n}}, "i"+strconv.FormatInt(n, 10))
	return true, true
}

// boolTerm pushes = and <> on a BOOL column, which SQLite sees as 0/1.
func (s *qualSet) boolTerm(c column, op vtab.ConstraintOp, v vtab.Value) (bool, bool) {
	var b bool
	switch x := v.(type) {
	case int64:
		if x != 0 && x != 1 {
			return false, false
		}
		b = x == 1
	case float64:
		if x != 0 && x != 1 {
			return false, false
		}
		b = x == 1
	case string:
		if x != "0" && x != "1" {
			return false, false
		}
		b = x == "1"
	default:
		return false, false
	}
	if op != vtab.OpEQ && op != vtab.OpNE {
		return false, false
	}
	s.add(c.name, sdkOp(op), &proto.QualValue{Value: &proto.QualValue_BoolValue{BoolValue: b}}, strconv.FormatBool(b))
	return true, op == vtab.OpEQ
}

// textArg is a constraint value as SQLite compares it with a TEXT
// column: text itself, or an integer's decimal form. A REAL is rendered
// by SQLite in its own way, so it is not used.
func textArg(v vtab.Value) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}

// parseNumber reads text that SQLite would turn into a number when
// comparing it with a numeric column. Only plain decimal forms are
// accepted.
func parseNumber(s string) (n int64, f float64, isInt, ok bool) {
	if s == "" || strings.TrimLeft(s, "0123456789+-.eE") != "" {
		return 0, 0, false, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, float64(n), true, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, 0, false, false
	}
	return 0, f, false, true
}

func strValue(s string) *proto.QualValue {
	return &proto.QualValue{Value: &proto.QualValue_StringValue{StringValue: s}}
}

// String describes the quals, for error messages and tests.
func (s *qualSet) String() string {
	return fmt.Sprint(s.keys)
}
