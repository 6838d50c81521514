package docgen

import (
	"strings"
	"unicode"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// tenantColumn is the connection key column that every table carries.
const tenantColumn = "tenant_id"

// ColumnName is the SQL name of c. A Defender column called TenantId becomes
// defender_tenant_id so that it does not clash with the tenant_id column.
func ColumnName(c schema.Column) string {
	if n := c.SQLName(); n != tenantColumn {
		return n
	}
	return "defender_" + tenantColumn
}

// SQLType is the Postgres type that the plugin gives column c.
func SQLType(c schema.Column) string {
	if c.IsJSON() {
		return "jsonb"
	}
	switch c.Type {
	case schema.DateTime:
		return "timestamp with time zone"
	case schema.Long, schema.Int:
		return "bigint"
	case schema.Real:
		return "double precision"
	case schema.Bool:
		return "boolean"
	}
	return "text"
}

// timeColumn is the SQL name of t's time column, or "" when it has none.
func timeColumn(t *schema.Table) string {
	if c := t.Column(t.TimeColumn); c != nil {
		return ColumnName(*c)
	}
	return ""
}

// columnNames maps the SQL names of t's columns, plus tenant_id, to their
// columns (tenant_id maps to nil).
func columnNames(t *schema.Table) map[string]*schema.Column {
	m := map[string]*schema.Column{tenantColumn: nil}
	for i := range t.Columns {
		m[ColumnName(t.Columns[i])] = &t.Columns[i]
	}
	return m
}

// humanName spells a Defender table name as words, keeping acronyms whole:
// DeviceTvmSoftwareVulnerabilitiesKB → "Device Tvm Software Vulnerabilities KB".
func humanName(n string) string {
	r := []rune(n)
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) {
			prev := r[i-1]
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}
