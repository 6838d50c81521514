package pgbed

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// sqlType is the PostgreSQL type Steampipe's FDW declares for a column
// type.
func sqlType(t proto.ColumnType) (string, error) {
	switch t {
	case proto.ColumnType_STRING:
		return "text", nil
	case proto.ColumnType_INT:
		return "bigint", nil
	case proto.ColumnType_DOUBLE:
		return "double precision", nil
	case proto.ColumnType_BOOL:
		return "boolean", nil
	case proto.ColumnType_TIMESTAMP:
		return "timestamptz", nil
	case proto.ColumnType_JSON:
		return "jsonb", nil
	}
	return "", fmt.Errorf("pgbed: column type %v is not supported", t)
}

// fdwText is the text Steampipe's FDW hands to the column type's input
// function for a value (hub/scan_iterator_base.go populateRow and
// helpers.go ValToDatum), or nil for NULL:
//   - timestamps: RFC 3339 in UTC with every fractional digit the value
//     has (ptypes.TimestampString), so PostgreSQL rounds them itself;
//   - JSON: decoded into Go values and encoded again, as the FDW does
//     (numbers pass through float64), with \u0000 escapes removed;
//   - numbers and booleans as go-kit's types.ToString writes them.
func fdwText(c *proto.Column) (any, error) {
	switch v := c.GetValue().(type) {
	case nil, *proto.Column_NullValue:
		return nil, nil
	case *proto.Column_StringValue:
		return v.StringValue, nil
	case *proto.Column_IntValue:
		return strconv.FormatInt(v.IntValue, 10), nil
	case *proto.Column_DoubleValue:
		return strconv.FormatFloat(v.DoubleValue, 'f', -1, 64), nil
	case *proto.Column_BoolValue:
		return strconv.FormatBool(v.BoolValue), nil
	case *proto.Column_TimestampValue:
		return v.TimestampValue.AsTime().UTC().Format(time.RFC3339Nano), nil
	case *proto.Column_JsonValue:
		var x any
		if err := json.Unmarshal(v.JsonValue, &x); err != nil {
			return nil, fmt.Errorf("invalid JSON %q: %w", v.JsonValue, err)
		}
		b, err := json.Marshal(x)
		if err != nil {
			return nil, err
		}
		return dropNUL(string(b)), nil
	}
	return nil, fmt.Errorf("pgbed: unsupported value %T", c.GetValue())
}

// dropNUL removes the \u0000 escapes of JSON text, which jsonb rejects,
// leaving an escaped backslash followed by u0000 alone.
func dropNUL(s string) string {
	if !strings.Contains(s, `\u0000`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			if strings.HasPrefix(s[i:], `\u0000`) {
				i += len(`\u0000`) - 1
				continue
			}
			b.WriteString(s[i : i+2])
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
