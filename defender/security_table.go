package defender

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// securityTable declares one table over a Microsoft Graph security
// collection. The four tables are data: each is one securityTable value,
// and securityTable.pluginTable builds the Steampipe table from it.
type securityTable struct {
	name        string
	description string
	collection  string // path segment under /v1.0/security/
	permission  string // the Graph permission, named in 403 errors
	maxTop      int    // the largest $top the collection accepts
	getByID     bool   // id = 'x' reads GET /security/<collection>/{id}, not the list
	// expand is the $expand value sent when the scan reads one of
	// expandColumns.
	expand        string
	expandColumns []string
	columns       []securityColumn
}

// filterKind says how a column is pushed into $filter; zero means never.
type filterKind int

const (
	notFiltered filterKind = iota
	textFilter             // = and IN, as string literals
	enumFilter             // = and IN, as enumeration members
	timeFilter             // <, <=, >, >=, as DateTimeOffset bounds
)

// securityColumn is one column: a property of the entity, or a value
// derived from it for joins.
type securityColumn struct {
	field       string // the Graph property; "" for derived columns
	name        string // the SQL name; "" derives it from field
	typ         proto.ColumnType
	description string
	filter      filterKind
	members     []string                // the enumeration's members, for enumFilter
	derive      func(graphsec.Item) any // for derived columns
}

// sqlName is the column's SQL name. Graph's own tenantId becomes
// defender_tenant_id, as in the hunting tables, beside the connection's
// tenant_id.
func (c *securityColumn) sqlName() string {
	if c.name != "" {
		return c.name
	}
	n := schema.SnakeCase(c.field)
	if n == tenantColumn {
		return "defender_" + tenantColumn
	}
	return n
}

// securityRow is one entity and the tenant of the connection that read it.
type securityRow struct {
	item   graphsec.Item
	tenant string
}

// securityService tags the scans of these tables for their rate limiter.
var securityService = map[string]string{"service": "graph_security"}

// pluginTable builds the Steampipe table.
//
// Only the time columns are key columns, with the range operators, as in
// the hunting tables (see table.pluginTable): the FDW builds a
// parameterised join path for each key column, and such a path silently
// drops the join's other conditions, so a join on id, status or severity
// must not find one. There is no Get config for the same reason: `id = X`
// is read from the scan's quals and answered with GET by id (see list).
// The other conditions still reach the plugin (QueryContext.UnsafeQuals)
// and narrow $filter; they also keep the FDW from passing a LIMIT.
//
// The SDK's query cache keys only on key-column quals, and results here
// are narrowed by the others, so it is turned off for these tables.
func (t *securityTable) pluginTable() *plugin.Table {
	pt := &plugin.Table{
		Name:        t.name,
		Description: t.description,
		List:        &plugin.ListConfig{Hydrate: t.list, Tags: securityService},
		Cache:       &plugin.TableCacheOptions{Enabled: false},
	}
	for i := range t.columns {
		c := &t.columns[i]
		pt.Columns = append(pt.Columns, &plugin.Column{
			Name: c.sqlName(), Type: c.typ, Description: c.description,
			Transform: transform.FromP(securityValue, c),
		})
		if c.filter != timeFilter {
			continue
		}
		pt.List.KeyColumns = append(pt.List.KeyColumns, &plugin.KeyColumn{
			Name: c.sqlName(), Require: plugin.Optional, Operators: securityTimeOperators,
			// A scan of one window must never answer another.
			CacheMatch: "exact",
		})
	}
	pt.Columns = append(pt.Columns, &plugin.Column{
		Name: tenantColumn, Type: proto.ColumnType_STRING,
		Description: "The Microsoft Entra tenant of the connection that returned the row.",
		Transform:   transform.From(securityTenant),
	})
	return pt
}

// securityTimeOperators are the time columns' key-column operators, which
// translate exactly into $filter; with them alone, the FDW may pass a
// LIMIT along. = is left out: the SDK splits a list on a key column into
// one List call per element, and an empty list into no call at all.
var securityTimeOperators = []string{
	quals.QualOperatorLess, quals.QualOperatorLessOrEqual,
	quals.QualOperatorGreater, quals.QualOperatorGreaterOrEqual,
}

// column finds a column by SQL name.
func (t *securityTable) column(name string) *securityColumn {
	for i := range t.columns {
		if t.columns[i].sqlName() == name {
			return &t.columns[i]
		}
	}
	return nil
}

// request is the collection request for a scan: its $expand when the scan
// reads an expanded column, and the rate-limit wait.
func (t *securityTable) request(d *plugin.QueryData) graphsec.Request {
	req := graphsec.Request{Collection: t.collection, Permission: t.permission, Wait: listRateWait(d)}
	for _, c := range d.QueryContext.Columns {
		if slices.Contains(t.expandColumns, c) {
			req.Expand = t.expand
		}
	}
	return req
}

// list streams the collection's entities that satisfy the scan's
// conditions, or, for `id = X` or `id in (…)`, reads each id with GET.
func (t *securityTable) list(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	BoundMemory()
	ctx = withTable(ctx, t.name)
	p, err := newSecurityPlan(t, d)
	if err != nil {
		return nil, err
	}
	if p.none {
		return nil, nil
	}
	c, err := connect(ctx, d)
	if err != nil {
		return nil, err
	}
	req := t.request(d)
	if p.byID {
		return nil, t.getEach(ctx, d, c, req, p)
	}
	req.Filter = p.filter
	if limit := d.QueryContext.GetLimit(); limit > 0 && t.maxTop > 0 {
		req.Top = int(min(limit, int64(t.maxTop)))
	}
	_, err = c.graph.List(ctx, req, func(it graphsec.Item) error {
		if !p.holds(it) {
			return nil
		}
		d.StreamListItem(ctx, &securityRow{item: it, tenant: c.tenant})
		if d.RowsRemaining(ctx) <= 0 {
			return graphsec.ErrStop
		}
		return nil
	})
	return nil, err
}

// getEach reads the plan's ids one by one; a missing id gives no row. The
// scan's other conditions are checked on each entity.
func (t *securityTable) getEach(ctx context.Context, d *plugin.QueryData, c *client, req graphsec.Request, p *securityPlan) error {
	seen := map[string]bool{}
	for _, id := range p.ids {
		if seen[id] || id == "" {
			continue
		}
		seen[id] = true
		it, _, err := c.graph.Get(ctx, req, id)
		if err != nil {
			return err
		}
		if it == nil || !p.holds(it) {
			continue
		}
		d.StreamListItem(ctx, &securityRow{item: it, tenant: c.tenant})
		if d.RowsRemaining(ctx) <= 0 {
			return nil
		}
	}
	return nil
}

// securityValue is a column's value: the property converted to the
// column's type, or the derived value.
func securityValue(_ context.Context, d *transform.TransformData) (any, error) {
	r, ok := d.HydrateItem.(*securityRow)
	if !ok {
		return nil, nil
	}
	c := d.Param.(*securityColumn)
	if c.derive != nil {
		return c.derive(r.item), nil
	}
	return convert(r.item[c.field], c.typ), nil
}

// convert turns a JSON value into the column type's Go value; null, a
// missing property or a value of another shape is NULL.
func convert(raw json.RawMessage, typ proto.ColumnType) any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	switch typ {
	case proto.ColumnType_JSON:
		return raw
	case proto.ColumnType_TIMESTAMP:
		if t, ok := parseGraphTime(raw); ok {
			return t
		}
		return nil
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	switch x := v.(type) {
	case string:
		if typ == proto.ColumnType_STRING {
			return x
		}
	case float64:
		switch typ {
		case proto.ColumnType_INT:
			return int64(x)
		case proto.ColumnType_DOUBLE:
			return x
		case proto.ColumnType_STRING:
			return string(raw)
		}
	case bool:
		if typ == proto.ColumnType_BOOL {
			return x
		}
	}
	return nil
}

// parseGraphTime reads a DateTimeOffset string.
func parseGraphTime(raw json.RawMessage) (time.Time, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func securityTenant(_ context.Context, d *transform.TransformData) (any, error) {
	r, ok := d.HydrateItem.(*securityRow)
	if !ok || r.tenant == "" {
		return nil, nil
	}
	return r.tenant, nil
}
