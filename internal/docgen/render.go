package docgen

import (
	"fmt"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// RenderTable returns the Markdown document for t. It fails when one of the
// table's examples names a column or table that does not exist.
func RenderTable(t *schema.Table) ([]byte, error) {
	examples, err := renderExamples(t, Examples(t))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.SQLName(), err)
	}
	name := t.SQLName()
	human := humanName(t.Name)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"Steampipe Table: %s - Query Microsoft Defender XDR %s using SQL\"\n", name, human)
	fmt.Fprintf(&b, "description: %q\n---\n\n", t.Description)
	fmt.Fprintf(&b, "# Table: %s - Query Microsoft Defender XDR %s using SQL\n\n", name, human)
	fmt.Fprintf(&b, "%s The rows come from the `%s` advanced hunting table (%s).\n\n", t.Description, t.Name, t.Product)
	b.WriteString("## Table Usage Guide\n\n")
	fmt.Fprintf(&b, "Each SQL query on `%s` becomes an advanced hunting query on `%s` that asks Defender "+
		"only for the columns and rows the SQL needs. %s\n\n", name, t.Name, kindSentence(t))
	b.WriteString("**Important notes:**\n\n")
	for _, n := range notes(t) {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	b.WriteString(examples)
	b.WriteString("\n## Columns\n\n| Column | Type | Description |\n| --- | --- | --- |\n")
	for _, c := range t.Columns {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", ColumnName(c), SQLType(c), strings.ReplaceAll(c.Description, "|", "\\|"))
	}
	fmt.Fprintf(&b, "| %s | text | Microsoft Entra tenant of the connection that returned the row. |\n", tenantColumn)
	return []byte(b.String()), nil
}

// renderExamples validates examples against t and writes the Examples
// section: each example in Postgres and in SQLite. A nil t (a table with
// no schema declaration, defender_hunting_query) skips the validation.
func renderExamples(t *schema.Table, ex []Example) (string, error) {
	var b strings.Builder
	b.WriteString("\n## Examples\n")
	for _, e := range ex {
		lite, err := e.SQLiteSQL()
		if err != nil {
			return "", fmt.Errorf("example %q: %w", e.Title, err)
		}
		if t != nil {
			if err := ValidateExample(t, e.SQL); err != nil {
				return "", fmt.Errorf("example %q: %w", e.Title, err)
			}
			if err := ValidateExample(t, lite); err != nil {
				return "", fmt.Errorf("example %q in SQLite: %w", e.Title, err)
			}
		}
		fmt.Fprintf(&b, "\n### %s\n\n%s\n", e.Title, e.Purpose)
		for _, block := range []struct{ lang, sql string }{{"postgres", e.SQL}, {"sqlite", lite}} {
			b.WriteString("\n")
			if e.ExpectNone {
				b.WriteString(ExpectNone + "\n")
			}
			fmt.Fprintf(&b, "```sql+%s\n%s\n```\n", block.lang, block.sql)
		}
	}
	return b.String(), nil
}

// kindSentence says what one row of t stands for.
func kindSentence(t *schema.Table) string {
	switch t.Kind {
	case "event":
		return "Each row is one recorded event."
	case "snapshot":
		return "Each row is a state report taken at a point in time, so one entity appears once per report."
	case "kb":
		return "Each row is a reference entry that other tables point to; it describes no particular device or user."
	case "graph":
		return "Each row is part of the exposure graph that Security Exposure Management builds for the tenant."
	}
	return "Each row describes the current state of one item on one device."
}

// notes lists the Important notes bullets for t.
func notes(t *schema.Table) []string {
	var out []string
	switch t.Status {
	case schema.Preview:
		out = append(out, "This table is in preview in Defender: its columns and contents may change.")
	case schema.Deprecated:
		var repl []string
		for _, r := range t.ReplacedBy {
			if rt := schema.Lookup(r); rt != nil {
				repl = append(repl, "`"+rt.SQLName()+"`")
			}
		}
		out = append(out, fmt.Sprintf("This table is deprecated in Defender; use %s instead.", strings.Join(repl, " and ")))
	}
	if tc := timeColumn(t); tc != "" {
		out = append(out,
			fmt.Sprintf("Conditions on `%s` are sent to Defender, both in the KQL and as the query's time span. "+
				"Without one, Defender's default window applies: only the last 30 days are searched.", tc),
			fmt.Sprintf("A longer window, such as `%s > now() - interval '90 days'`, reaches rows older than 30 days "+
				"only where Defender keeps them (tables streamed to Microsoft Sentinel).", tc),
			"Postgres passes `now() - interval '1 day'` on to the plugin, but not a bare `now()` or `current_date`; "+
				"write `now() - interval '0 days'` or an explicit timestamp instead.",
			fmt.Sprintf("`order by %s` (ascending or descending) together with `limit` runs in Defender as a single small query.", tc),
			fmt.Sprintf("Results are complete: when a result reaches Defender's 100,000-row cap or size limit, "+
				"the plugin splits it on `%s` and returns each row once.", tc))
		if t.Kind == "snapshot" {
			out = append(out, fmt.Sprintf("Rows are periodic reports; use `distinct on (...)` with `order by ..., %s desc` "+
				"to keep the latest report of each entity.", tc))
		}
	} else {
		out = append(out,
			"This table has no time column: it holds current state, so the 30-day window does not apply.",
			"A query that would return more than 100,000 rows fails with an error asking for a narrower filter.")
	}
	out = append(out,
		"Conditions on text columns (`=`, `<>`, `like`, `ilike`, their negations, `in`, `not in`, `is [not] null`), "+
			"on number and timestamp columns (comparisons, `in`, `not in`, `is [not] null`) and on boolean columns "+
			"are translated into KQL; `limit` is passed on when every condition is translated.",
		"Kusto strings are never null: an empty value comes back as SQL `NULL`, and `is null` matches empty values.")
	if js := jsonColumns(t); len(js) > 0 {
		out = append(out, fmt.Sprintf("%s %s jsonb; read fields with `->` and `->>`. Only `is null` and `is not null` on %s are sent to Defender.",
			strings.Join(js, ", "), plural(len(js), "is", "are"), plural(len(js), "it", "them")))
	}
	if t.Column("TenantId") != nil {
		out = append(out, "Defender's own `TenantId` column is named `defender_tenant_id`, because `tenant_id` is the connection's tenant.")
	}
	return out
}

func jsonColumns(t *schema.Table) []string {
	var out []string
	for _, c := range t.Columns {
		if c.IsJSON() {
			out = append(out, "`"+ColumnName(c)+"`")
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
