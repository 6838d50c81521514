package docgen

import (
	"fmt"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// RenderCurrent returns the Markdown document of current-state table c.
// It fails when an example names a column or table that does not exist.
func RenderCurrent(c schema.Current) ([]byte, error) {
	src := schema.Lookup(c.Source)
	if src == nil {
		return nil, fmt.Errorf("%s: no source table %s", c.Name, c.Source)
	}
	examples, err := renderExamples(src, handExamples[c.Name])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	tc := schema.SnakeCase(src.TimeColumn)
	keys := make([]string, len(c.Keys))
	for i, k := range c.Keys {
		keys[i] = "`" + schema.SnakeCase(k) + "`"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"Steampipe Table: %s - Query the current state in Microsoft Defender XDR %s using SQL\"\n", c.Name, humanName(c.Source))
	fmt.Fprintf(&b, "description: %q\n---\n\n", c.Description)
	fmt.Fprintf(&b, "# Table: %s - Query the current state in Microsoft Defender XDR %s using SQL\n\n", c.Name, humanName(c.Source))
	fmt.Fprintf(&b, "%s It has one row per %s: the latest row of the `%s` advanced hunting table (%s), which reports every entity periodically.\n\n",
		c.Description, strings.Join(keys, " and "), c.Source, src.Product)
	b.WriteString("## Table Usage Guide\n\n")
	fmt.Fprintf(&b, "Each SQL query on `%s` becomes one advanced hunting query, `%s | summarize arg_max(%s, *) by %s`, "+
		"with the SQL's conditions, columns, order and limit. Use it for posture questions; use `%s` for history.\n\n",
		c.Name, c.Source, src.TimeColumn, strings.Join(c.Keys, ", "), src.SQLName())
	b.WriteString("**Important notes:**\n\n")
	for _, n := range []string{
		fmt.Sprintf("Conditions on `%s` choose the window the latest row is taken from (by default Defender's last 30 days): "+
			"`%s < '2026-01-01'` gives the state as of that time. An entity with no report in the window has no row.", tc, tc),
		"Conditions on other columns apply to the latest rows: `where os_platform = 'Windows11'` on `defender_device` means \"whose latest report says Windows 11\", " +
			"not \"that was Windows 11 at some point\".",
		"`limit` and `order by " + tc + "` are passed on as for the hunting tables, and rows are paged on " + "`" + tc + "`.",
		"The time window cannot be split, since that would change which row is the latest: a result beyond Defender's row or size limit fails with an error asking for narrower conditions.",
		"Kusto strings are never null: an empty value comes back as SQL `NULL`, and `is null` matches empty values.",
	} {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString(examples)
	b.WriteString("\n## Columns\n\n| Column | Type | Description |\n| --- | --- | --- |\n")
	for _, col := range src.Columns {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", ColumnName(col), SQLType(col), strings.ReplaceAll(col.Description, "|", "\\|"))
	}
	fmt.Fprintf(&b, "| %s | text | Microsoft Entra tenant of the connection that returned the row. |\n", tenantColumn)
	return []byte(b.String()), nil
}
