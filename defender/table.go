package defender

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// table is one advanced hunting table with its columns indexed by SQL
// name.
type table struct {
	def      *schema.Table
	columns  map[string]*schema.Column // SQL name → column
	position map[string]int            // Defender name → column index
	// current is set for a current-state table over def: only the latest
	// row of each entity.
	current *schema.Current
}

// row is one streamed result row: the raw JSON values keyed by Defender
// column name, and the connection's tenant.
type row struct {
	values hunting.Row
	tenant string
}

// tenantColumn is the name of the connection key column on every table.
const tenantColumn = "tenant_id"

// sqlColumnName is the SQL name of a Defender column. A Defender column
// called TenantId would clash with the connection's tenant_id, so it is
// renamed.
func sqlColumnName(c *schema.Column) string {
	if n := c.SQLName(); n != tenantColumn {
		return n
	}
	return "defender_" + tenantColumn
}

func newTable(def *schema.Table) *table {
	t := &table{def: def, columns: make(map[string]*schema.Column, len(def.Columns)), position: make(map[string]int, len(def.Columns))}
	for i := range def.Columns {
		t.columns[sqlColumnName(&def.Columns[i])] = &def.Columns[i]
		t.position[def.Columns[i].Name] = i
	}
	return t
}

// pluginTable declares the Steampipe table.
//
// Only the time column is a key column. Every other condition still
// reaches the plugin (QueryContext.UnsafeQuals) and narrows the KQL, but
// the FDW builds a parameterised join path for each key column, and such a
// path silently drops the join's other conditions (postgres-fdw-values.md),
// so a join on ids must not find one: it becomes a hash join, one scan of
// each side. Conditions on other columns also keep the FDW from passing a
// LIMIT, so the hunting client pages from a small first page instead.
//
// The SDK's query cache keys only on key-column quals, and results here
// are narrowed by the others, so it is turned off for these tables.
func (t *table) pluginTable() *plugin.Table {
	pt := &plugin.Table{
		Name:        t.name(),
		Description: t.description(),
		List: &plugin.ListConfig{
			Hydrate: t.list,
			Tags:    map[string]string{"service": "hunting", "action": "runHuntingQuery"},
		},
		GetMatrixItemFunc: huntingAPIMatrix,
		Cache:             &plugin.TableCacheOptions{Enabled: false},
	}
	for i := range t.def.Columns {
		c := &t.def.Columns[i]
		col := &plugin.Column{
			Name:        sqlColumnName(c),
			Type:        columnType(c),
			Description: c.Description,
			Transform:   transform.FromP(columnValue, c),
		}
		pt.Columns = append(pt.Columns, col)
		if sortable(c, t.def.TimeColumn) {
			col.Sort = plugin.SortAll
		}
		if c.Name != t.def.TimeColumn {
			continue
		}
		pt.List.KeyColumns = append(pt.List.KeyColumns, &plugin.KeyColumn{
			Name: col.Name, Require: plugin.Optional, Operators: timeOperators,
			// A scan of one window must never answer another.
			CacheMatch: "exact",
		})
	}
	pt.Columns = append(pt.Columns, &plugin.Column{
		Name:        tenantColumn,
		Type:        proto.ColumnType_STRING,
		Description: "The Microsoft Entra tenant of the connection that returned the row.",
		Transform:   transform.From(rowTenant),
	})
	return pt
}

// timeOperators are the time column's key-column operators, with which
// the FDW may pass a LIMIT along: the range comparisons of every time
// bound. = and <> are left out although they translate exactly: the SDK
// turns a list on a key column into one List call per element, and an
// empty list (how `= any(array(select …))` arrives) into no call and no
// rows at all. Not declared, IN and NOT IN reach the plugin whole.
var timeOperators = []string{
	quals.QualOperatorLess, quals.QualOperatorLessOrEqual,
	quals.QualOperatorGreater, quals.QualOperatorGreaterOrEqual,
	quals.QualOperatorIsNull, quals.QualOperatorIsNotNull,
}

// name is the SQL table name.
func (t *table) name() string {
	if t.current != nil {
		return t.current.Name
	}
	return t.def.SQLName()
}

// description is the table description, with its status.
func (t *table) description() string {
	if t.current != nil {
		return currentDescription(t.current, t.def.TimeColumn)
	}
	d := t.def.Description
	if d == "" {
		d = fmt.Sprintf("Defender advanced hunting table %s.", t.def.Name)
	}
	return d
}

// list runs the scan as hunting queries and streams the rows.
func (t *table) list(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	BoundMemory()
	ctx = withTable(ctx, t.def.SQLName())
	p, err := newPlan(t, d)
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
	req := hunting.Request{
		Render:     p.render,
		TimeColumn: p.timeCol,
		Window:     p.window,
		Order:      p.order,
		Limit:      p.take(),
		Wait:       listRateWait(d),
	}
	if t.current != nil {
		req.Latest, req.TooLargeHint = true, tooLargeHint(t.current)
	}
	if p.sort != nil {
		req.OneCall, req.OneCallHint = true, p.oneCallHint()
	}
	stream := func(r hunting.Row) error {
		if ctx.Err() != nil {
			// Postgres ended the scan; the SDK no longer reads rows, and
			// StreamListItem would block for good once its buffer is full.
			return hunting.ErrStop
		}
		d.StreamListItem(ctx, &row{values: r, tenant: c.tenant})
		if d.RowsRemaining(ctx) <= 0 {
			return hunting.ErrStop
		}
		return nil
	}
	emit := stream
	var ro *reorderer
	if p.reorder != nil {
		ro = newReorderer(t, p.reorder, stream)
		emit = ro.add
	}
	_, err = c.hunting.Run(ctx, req, emit)
	if err == nil && ro != nil {
		if err = ro.flush(); errors.Is(err, hunting.ErrStop) {
			err = nil
		}
	}
	return nil, err
}

// listRateWait returns the hook a client (hunting or Graph security) calls
// before each API call. The SDK already waited on the rate limiter once for
// the List call, so the first call goes straight through.
func listRateWait(d *plugin.QueryData) func(context.Context) error {
	first := true
	return func(ctx context.Context) error {
		if first {
			first = false
			return nil
		}
		d.WaitForListRateLimit(ctx)
		return ctx.Err()
	}
}

// projection is the list of Defender columns the query needs, in schema
// order. The time column is always fetched, because the hunting client
// pages on it.
func (t *table) projection(sqlCols []string) []string {
	want := make(map[string]bool, len(sqlCols))
	for _, n := range sqlCols {
		if c := t.columns[n]; c != nil {
			want[c.Name] = true
		}
	}
	if t.def.TimeColumn != "" {
		want[t.def.TimeColumn] = true
	}
	var out []string
	for _, c := range t.def.Columns {
		if want[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// columnType is the Steampipe column type for c.
func columnType(c *schema.Column) proto.ColumnType {
	if c.IsJSON() {
		return proto.ColumnType_JSON
	}
	switch c.Type {
	case schema.DateTime:
		return proto.ColumnType_TIMESTAMP
	case schema.Long, schema.Int:
		return proto.ColumnType_INT
	case schema.Real:
		return proto.ColumnType_DOUBLE
	case schema.Bool:
		return proto.ColumnType_BOOL
	}
	return proto.ColumnType_STRING
}

// sqlTypeName is the SQL type of c, for error messages.
func sqlTypeName(c *schema.Column) string {
	return strings.ToLower(strings.TrimPrefix(columnType(c).String(), "ColumnType_"))
}

func rowTenant(_ context.Context, d *transform.TransformData) (any, error) {
	r, ok := d.HydrateItem.(*row)
	if !ok || r.tenant == "" {
		return nil, nil
	}
	return r.tenant, nil
}
