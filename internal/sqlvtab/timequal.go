package sqlvtab

import (
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
	"modernc.org/sqlite/vtab"
)

// timeTerm pushes a comparison of a timestamp column with a text literal.
// The column holds TimeLayout text, and SQLite compares it as text, so
// the literal must be a prefix of that layout cut at a field boundary,
// e.g. '2026-11-20', '2026-11-20 12:00:00' (SQLite's datetime() output)
// or the full form. The text comparison is then rewritten as an exact
// time range; the plugin's timestamps may be finer than a microsecond,
// which the rewrite accounts for.
func (s *qualSet) timeTerm(c column, op vtab.ConstraintOp, v vtab.Value) (bool, bool) {
	lit, ok := v.(string)
	if !ok {
		return false, false
	}
	t, full, ok := parseTimePrefix(lit)
	if !ok {
		return false, false
	}
	next := t // the first instant whose text is past the literal
	if full {
		next = t.Add(time.Microsecond)
	}
	switch op {
	case vtab.OpGE:
		s.addTime(c.name, ">=", t)
	case vtab.OpGT:
		s.addTime(c.name, ">=", next)
	case vtab.OpLT:
		s.addTime(c.name, "<", t)
	case vtab.OpLE:
		s.addTime(c.name, "<", next)
	case vtab.OpEQ:
		if !full {
			s.none = true // a shorter text never equals the full width
			return true, true
		}
		s.addTime(c.name, ">=", t)
		s.addTime(c.name, "<", next)
	case vtab.OpNE:
		if !full || !c.ops["<>"] {
			return false, false
		}
		s.addTime(c.name, "<>", t)
		return true, false
	default:
		return false, false
	}
	return true, true
}

func (s *qualSet) addTime(col, op string, t time.Time) {
	s.add(col, op, &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(t)}}, t.Format(time.RFC3339Nano))
}

// timeBoundaries are the lengths at which a TimeLayout prefix ends on a
// field boundary.
var timeBoundaries = map[int]bool{10: true, 13: true, 16: true, 19: true, 21: true, 22: true, 23: true, 24: true, 25: true, 26: true}

// parseTimePrefix reads a prefix of TimeLayout text. full reports the
// complete form, which names one microsecond.
func parseTimePrefix(s string) (t time.Time, full, ok bool) {
	const zero = "0000-01-01 00:00:00.000000"
	if !timeBoundaries[len(s)] {
		return time.Time{}, false, false
	}
	for i := 0; i < len(s); i++ {
		if isDigit(zero[i]) != isDigit(s[i]) || (!isDigit(s[i]) && s[i] != zero[i]) {
			return time.Time{}, false, false
		}
	}
	t, err := time.Parse(TimeLayout, s+zero[len(s):])
	if err != nil || t.Format(TimeLayout)[:len(s)] != s {
		return time.Time{}, false, false
	}
	return t, len(s) == len(zero), true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
