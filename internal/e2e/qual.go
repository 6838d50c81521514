package e2e

import (
	"fmt"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Qual is one restriction as the Postgres FDW sends it: a column, an SDK
// operator ("=", "<>", "<", "<=", ">", ">=", "~~", "!~~", "~~*", "!~~*",
// "is null", "is not null") and a value. A []any value is an IN list
// (with "=") or a NOT IN list (with "<>"); a nil element is SQL NULL. A
// nil Value with a comparison is a qual with no value, as Postgres sends
// for a join's NULL outer row.
//
// Actual, when set, is the condition the SQL really states, which Postgres
// rechecks on every row, where Op and Value are the garbled form in which
// the FDW sends it: `x is not true` sent as `<> true`, an array parameter
// sent as an empty list, LIKE ALL sent as a list like LIKE ANY. Its Op may
// also be "is true", "is not true", "is false" or "is not false", and All
// marks a list compared with ALL rather than ANY.
type Qual struct {
	Column string
	Op     string
	Value  any
	All    bool
	Actual *Qual
}

// sql is the condition Postgres evaluates for q.
func (q Qual) sql() Qual {
	if q.Actual != nil {
		return *q.Actual
	}
	return q
}

func (q Qual) proto() (*proto.Qual, error) {
	pq := &proto.Qual{FieldName: q.Column, Operator: &proto.Qual_StringValue{StringValue: q.Op}}
	if q.Op == "is null" || q.Op == "is not null" {
		return pq, nil
	}
	v, err := qualValue(q.Value)
	if err != nil {
		return nil, fmt.Errorf("qual on %s: %w", q.Column, err)
	}
	pq.Value = v
	return pq, nil
}

func qualValue(v any) (*proto.QualValue, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		return &proto.QualValue{Value: &proto.QualValue_StringValue{StringValue: x}}, nil
	case int:
		return &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: int64(x)}}, nil
	case int64:
		return &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: x}}, nil
	case float64:
		return &proto.QualValue{Value: &proto.QualValue_DoubleValue{DoubleValue: x}}, nil
	case bool:
		return &proto.QualValue{Value: &proto.QualValue_BoolValue{BoolValue: x}}, nil
	case time.Time:
		return &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(x.Truncate(time.Microsecond))}}, nil
	case []any:
		// The FDW removes duplicate list elements before sending a list.
		list := &proto.QualValueList{}
		seen := map[string]bool{}
		for _, e := range x {
			k := fmt.Sprintf("%T:%v", e, e)
			if seen[k] {
				continue
			}
			seen[k] = true
			ev, err := qualValue(e)
			if err != nil {
				return nil, err
			}
			if ev == nil {
				ev = &proto.QualValue{}
			}
			list.Values = append(list.Values, ev)
		}
		return &proto.QualValue{Value: &proto.QualValue_ListValue{ListValue: list}}, nil
	}
	return nil, fmt.Errorf("unsupported qual value %T", v)
}
