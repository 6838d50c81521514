package sqlvtab

import (
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"modernc.org/sqlite/vtab"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// TimeLayout is how timestamps appear in SQL: fixed-width UTC text with
// microseconds, e.g. "2026-11-20 12:00:00.000000". Fixed width makes text
// order equal time order, and the space separator lets values compare
// with SQLite's own datetime('now', '-7 days') text.
const TimeLayout = "2006-01-02 15:04:05.000000"

// FormatTime renders t as TimeLayout text in UTC, rounded to microseconds
// as PostgreSQL rounds it (pgtime.Stored), so that a query gives the same
// rows here as in Steampipe.
func FormatTime(t time.Time) string {
	return pgtime.Stored(t).Format(TimeLayout)
}

// sqlValue converts one column value from the plugin to the value SQLite
// stores: NULL, INTEGER (bool as 0/1), REAL or TEXT. JSON is its text and
// timestamps are TimeLayout text.
func sqlValue(c *proto.Column) vtab.Value {
	switch v := c.GetValue().(type) {
	case *proto.Column_StringValue:
		return v.StringValue
	case *proto.Column_IntValue:
		return v.IntValue
	case *proto.Column_DoubleValue:
		return v.DoubleValue
	case *proto.Column_BoolValue:
		if v.BoolValue {
			return int64(1)
		}
		return int64(0)
	case *proto.Column_JsonValue:
		if v.JsonValue == nil {
			return nil
		}
		return string(v.JsonValue)
	case *proto.Column_TimestampValue:
		if v.TimestampValue == nil {
			return nil
		}
		return FormatTime(v.TimestampValue.AsTime())
	case *proto.Column_IpAddrValue:
		return v.IpAddrValue
	case *proto.Column_CidrRangeValue:
		return v.CidrRangeValue
	case *proto.Column_LtreeValue:
		return v.LtreeValue
	}
	return nil
}

// declType is the SQLite column type declared for an SDK column type; it
// sets the column's affinity.
func declType(t proto.ColumnType) string {
	switch t {
	case proto.ColumnType_BOOL, proto.ColumnType_INT:
		return "INTEGER"
	case proto.ColumnType_DOUBLE:
		return "REAL"
	}
	return "TEXT"
}
