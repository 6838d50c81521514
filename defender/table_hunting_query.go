package defender

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
)

// huntingRow is one result row of a user's own KQL query.
type huntingRow struct {
	Query    string
	Timespan string
	Number   int64
	Data     hunting.Row
	Tenant   string
}

// huntingQueryTable runs any KQL a user writes, for what SQL cannot push
// down: summarize, joins inside KQL, functions.
func huntingQueryTable() *plugin.Table {
	return &plugin.Table{
		Name:        "defender_hunting_query",
		Description: "Run your own KQL advanced hunting query; each result row is returned as JSON.",
		List: &plugin.ListConfig{
			Hydrate: listHuntingQuery,
			Tags:    map[string]string{"service": "hunting", "action": "runHuntingQuery"},
			KeyColumns: plugin.KeyColumnSlice{
				{Name: "query", Require: plugin.Required, CacheMatch: "exact"},
				{Name: "timespan", Require: plugin.Optional, CacheMatch: "exact"},
			},
		},
		GetMatrixItemFunc: huntingAPIMatrix,
		Columns: []*plugin.Column{
			{Name: "query", Type: proto.ColumnType_STRING, Description: "The KQL query to run (required).", Transform: transform.FromField("Query")},
			{Name: "timespan", Type: proto.ColumnType_STRING, Description: "The ISO-8601 time window for the query, such as P7D; Defender's default is the last 30 days.", Transform: transform.FromField("Timespan")},
			{Name: "row_number", Type: proto.ColumnType_INT, Description: "The row's position in the result, from 1.", Transform: transform.FromField("Number")},
			{Name: "data", Type: proto.ColumnType_JSON, Description: "The result row, keyed by the query's column names.", Transform: transform.FromField("Data")},
			{Name: tenantColumn, Type: proto.ColumnType_STRING, Description: "The Microsoft Entra tenant of the connection that returned the row.", Transform: transform.FromField("Tenant").Transform(emptyToNil)},
		},
	}
}

func listHuntingQuery(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	BoundMemory()
	ctx = withTable(ctx, d.Table.Name)
	query := d.EqualsQualString("query")
	timespan := d.EqualsQualString("timespan")
	if query == "" {
		return nil, nil
	}
	c, err := connect(ctx, d)
	if err != nil {
		return nil, err
	}
	var n int64
	_, err = c.hunting.RunKQL(ctx, query, timespan, func(r hunting.Row) error {
		n++
		d.StreamListItem(ctx, &huntingRow{Query: query, Timespan: timespan, Number: n, Data: r, Tenant: c.tenant})
		if d.RowsRemaining(ctx) <= 0 {
			return hunting.ErrStop
		}
		return nil
	})
	return nil, err
}

func emptyToNil(_ context.Context, d *transform.TransformData) (any, error) {
	if s, ok := d.Value.(string); ok && s == "" {
		return nil, nil
	}
	return d.Value, nil
}
