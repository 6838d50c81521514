package defender

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"
)

// queryLogTable lists the plugin process's recent calls for the
// connection. It makes no call itself, and is never cached: each scan
// reads the log as it is.
func queryLogTable() *plugin.Table {
	col := func(name string, typ proto.ColumnType, field, desc string) *plugin.Column {
		return &plugin.Column{Name: name, Type: typ, Description: desc, Transform: transform.FromField(field).Transform(zeroToNil)}
	}
	return &plugin.Table{
		Name: "defender_query_log",
		Description: "The most recent requests (up to 500) this plugin process sent to Defender advanced hunting and " +
			"Microsoft Graph for the connection: the KQL and Timespan, status, rows, bytes, duration, retries and throttle waits.",
		List:  &plugin.ListConfig{Hydrate: listQueryLog},
		Cache: &plugin.TableCacheOptions{Enabled: false},
		Columns: []*plugin.Column{
			col("started", proto.ColumnType_TIMESTAMP, "Started", "When the request was first sent."),
			col("table_name", proto.ColumnType_STRING, "Table", "The table whose scan sent it."),
			col("api", proto.ColumnType_STRING, "API", "hunting (advanced hunting) or graph_security (Graph's security collections)."),
			col("kql", proto.ColumnType_STRING, "KQL", "The KQL sent to advanced hunting."),
			col("timespan", proto.ColumnType_STRING, "Timespan", "The Timespan sent with the KQL; null when none was sent (MDE API)."),
			col("url", proto.ColumnType_STRING, "URL", "The Graph security request URL."),
			col("status", proto.ColumnType_STRING, "Status", "ok, stopped (the reader had enough rows), cancelled or failed."),
			col("http_status", proto.ColumnType_INT, "HTTPStatus", "The HTTP status of the last response."),
			col("error", proto.ColumnType_STRING, "Error", "The error, for a failed request."),
			col("rows", proto.ColumnType_INT, "Rows", "Rows (or Graph entities) read."),
			{Name: "bytes", Type: proto.ColumnType_INT, Description: "Response body bytes read (advanced hunting only).", Transform: transform.FromField("Bytes")},
			{Name: "duration_ms", Type: proto.ColumnType_INT, Description: "Milliseconds from the first send to the end of the response, waits included.", Transform: transform.FromField("Duration").Transform(milliseconds)},
			{Name: "retries", Type: proto.ColumnType_INT, Description: "Requests repeated: after a 401, a 429 or a transient failure.", Transform: transform.FromField("Retries")},
			{Name: "throttle_wait_ms", Type: proto.ColumnType_INT, Description: "Milliseconds spent waiting as 429 responses asked (Retry-After).", Transform: transform.FromField("Throttled").Transform(milliseconds)},
		},
	}
}

// listQueryLog streams the connection's log, the most recent call first.
func listQueryLog(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	for _, c := range queryLogFor(d.Connection.Name).newestFirst() {
		d.StreamListItem(ctx, c)
		if d.RowsRemaining(ctx) <= 0 {
			break
		}
	}
	return nil, nil
}

// milliseconds turns a time.Duration into whole milliseconds.
func milliseconds(_ context.Context, d *transform.TransformData) (any, error) {
	v, _ := d.Value.(interface{ Milliseconds() int64 })
	if v == nil {
		return nil, nil
	}
	return v.Milliseconds(), nil
}

// zeroToNil makes a zero value NULL: a string never set, or a status
// that never came.
func zeroToNil(_ context.Context, d *transform.TransformData) (any, error) {
	switch v := d.Value.(type) {
	case string:
		if v == "" {
			return nil, nil
		}
	case int:
		if v == 0 && d.ColumnName == "http_status" {
			return nil, nil
		}
	}
	return d.Value, nil
}
