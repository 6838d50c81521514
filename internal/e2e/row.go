package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// Row is one SQL row keyed by column name. Values are string, int64,
// float64, bool, time.Time (the microsecond Postgres stores, UTC), JSON (normalised
// JSON text) or nil.
type Row map[string]any

// project keeps only the scan's columns, as the FDW reads only those;
// with no columns it keeps the row whole.
func (r Row) project(columns []string) Row {
	if len(columns) == 0 {
		return r
	}
	out := make(Row, len(columns))
	for _, c := range columns {
		out[c] = r[c]
	}
	return out
}

// JSON is normalised JSON text: keys sorted, no insignificant space, and
// numbers kept as written.
type JSON string

// NormalizeJSON returns b in normal form.
func NormalizeJSON(b []byte) (JSON, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return "", err
	}
	out, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return JSON(out), nil
}

// fromProto converts a row as Postgres would store it: timestamps are cut
// to microseconds, as the FDW does.
func fromProto(r *proto.Row) (Row, error) {
	row := make(Row, len(r.Columns))
	for name, c := range r.Columns {
		switch v := c.GetValue().(type) {
		case nil, *proto.Column_NullValue:
			row[name] = nil
		case *proto.Column_StringValue:
			row[name] = v.StringValue
		case *proto.Column_IntValue:
			row[name] = v.IntValue
		case *proto.Column_DoubleValue:
			row[name] = v.DoubleValue
		case *proto.Column_BoolValue:
			row[name] = v.BoolValue
		case *proto.Column_TimestampValue:
			row[name] = pgtime.Stored(v.TimestampValue.AsTime())
		case *proto.Column_JsonValue:
			j, err := NormalizeJSON(v.JsonValue)
			if err != nil {
				return nil, fmt.Errorf("column %s: invalid JSON %q: %w", name, v.JsonValue, err)
			}
			row[name] = j
		default:
			return nil, fmt.Errorf("column %s: unexpected value type %T", name, v)
		}
	}
	return row, nil
}
