package defender

import (
	"context"
	"fmt"
	"strings"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// table is one advanced hunting table with its columns indexed by SQL
// name.
type table struct {
	def      *schema.Table
	columns  map[string]*schema.Column // SQL name → column
	position map[string]int            // Defender name → column index
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

// pluginTable declares the Steampipe table: every column is an optional
// key column with exactly the operators the translator renders exactly, so
// the FDW can pass LIMIT whenever every condition was pushed down.
func (t *table) pluginTable() *plugin.Table {
	pt := &plugin.Table{
		Name:        t.def.SQLName(),
		Description: t.description(),
		List: &plugin.ListConfig{
			Hydrate: t.list,
			Tags:    map[string]string{"service": "hunting", "action": "runHuntingQuery"},
		},
	}
	for i := range t.def.Columns {
		c := &t.def.Columns[i]
		col := &plugin.Column{
			Name:        sqlColumnName(c),
			Type:        columnType(c),
			Description: c.Description,
			Transform:   transform.FromP(columnValue, c),
		}
		if c.Name == t.def.TimeColumn {
			col.Sort = plugin.SortAll
		}
		pt.Columns = append(pt.Columns, col)
		kc := &plugin.KeyColumn{Name: col.Name, Require: plugin.Optional, Operators: sdkOperators(c)}
		if c.Name == t.def.TimeColumn {
			// A cached scan of one window must never answer another.
			kc.CacheMatch = "exact"
		}
		pt.List.KeyColumns = append(pt.List.KeyColumns, kc)
	}
	pt.Columns = append(pt.Columns, &plugin.Column{
		Name:        tenantColumn,
		Type:        proto.ColumnType_STRING,
		Description: "The Microsoft Entra tenant of the connection that returned the row.",
		Transform:   transform.From(rowTenant),
	})
	return pt
}

// description is the table description, with its status.
func (t *table) description() string {
	d := t.def.Description
	if d == "" {
		d = fmt.Sprintf("Defender advanced hunting table %s.", t.def.Name)
	}
	return d
}

// list runs the scan as hunting queries and streams the rows.
func (t *table) list(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
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
		Limit:      p.limit,
		Wait:       listRateWait(d),
	}
	_, err = c.hunting.Run(ctx, req, func(r hunting.Row) error {
		d.StreamListItem(ctx, &row{values: r, tenant: c.tenant})
		if d.RowsRemaining(ctx) <= 0 {
			return hunting.ErrStop
		}
		return nil
	})
	return nil, err
}

// listRateWait returns the hook the hunting client calls before each API
// call. The SDK already waited on the rate limiter once for the List call,
// so the first call goes straight through.
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

// sdkOperators lists the SDK operators to declare for c: those whose
// translation is exact.
func sdkOperators(c *schema.Column) []string {
	seen := map[string]bool{}
	var out []string
	for _, op := range kql.Operators(c.Type, c.IsJSON()) {
		for s, o := range sqlOps {
			if o == listBase(op) && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return sortedOps(out)
}

// declares reports whether the table declares op for c.
func declares(c *schema.Column, op kql.Op) bool {
	for _, o := range kql.Operators(c.Type, c.IsJSON()) {
		if o == op {
			return true
		}
	}
	return false
}

// listBase is the scalar operator a list operator arrives as.
func listBase(op kql.Op) kql.Op {
	switch op {
	case kql.In:
		return kql.Eq
	case kql.NotIn:
		return kql.Ne
	}
	return op
}

// sortedOps orders operator strings the way they read in SQL, so the
// schema is stable.
func sortedOps(ops []string) []string {
	order := []string{"=", "<>", "<", "<=", ">", ">=", "~~", "!~~", "~~*", "!~~*", "is null", "is not null"}
	var out []string
	for _, o := range order {
		for _, x := range ops {
			if x == o {
				out = append(out, o)
			}
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
