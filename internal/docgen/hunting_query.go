package docgen

import "fmt"

// huntingQueryTable is the SQL name of the table that runs arbitrary KQL.
const huntingQueryTable = "defender_hunting_query"

// huntingQueryHead is the document for defender_hunting_query, which has
// no schema declaration of its own, up to its examples (examples/ in
// examplefiles.go).
const huntingQueryHead = `---
title: "Steampipe Table: defender_hunting_query - Run any Microsoft Defender XDR advanced hunting query using SQL"
description: "Run a KQL advanced hunting query of your own and get each result row back as JSON."
---

# Table: defender_hunting_query - Run any Microsoft Defender XDR advanced hunting query using SQL

Run a KQL advanced hunting query of your own and get each result row back as JSON. Use it for joins,
` + "`summarize`" + `, functions and anything else the typed ` + "`defender_*`" + ` tables cannot express.

## Table Usage Guide

The ` + "`defender_hunting_query`" + ` table sends the text of the ` + "`query`" + ` column to Defender unchanged and returns one
SQL row per result row. The result row is in ` + "`data`" + `, a jsonb object keyed by the KQL column names, and
` + "`row_number`" + ` gives its position in the result, starting at 1.

**Important notes:**

- You must specify ` + "`query`" + ` in a ` + "`where`" + ` clause (` + "`query = '...'`" + `). Cached results are reused only for exactly the same text.
- ` + "`timespan`" + ` is optional: an ISO-8601 duration such as ` + "`P7D`" + `, or an interval such as
  ` + "`2026-11-01T00:00:00Z/2026-11-08T00:00:00Z`" + `. Without it, and without a time filter in the KQL, Defender searches the last 30 days.
- Results over 100,000 rows are an error, never a silently shortened result: add ` + "`take`" + `, ` + "`summarize`" + ` or a narrower filter.
- Conditions on ` + "`data`" + ` and ` + "`row_number`" + ` are applied by Postgres after the query ran; put filters in the KQL instead.
- Every call counts against the tenant's advanced hunting quota, like the typed tables.
`

// huntingQueryDoc returns the document for defender_hunting_query.
func huntingQueryDoc() ([]byte, error) {
	examples, err := renderExamples(nil, handExamples[huntingQueryTable])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", huntingQueryTable, err)
	}
	return []byte(huntingQueryHead + examples + huntingQueryColumns), nil
}

// huntingQueryColumns is the document's Columns section.
const huntingQueryColumns = `
## Columns

| Column | Type | Description |
| --- | --- | --- |
| query | text | KQL query to run; required. |
| timespan | text | ISO-8601 time window for the query, such as P7D; Defender's default is the last 30 days. |
| row_number | bigint | Position of the row in the result, from 1. |
| data | jsonb | Result row, keyed by the query's column names. |
| tenant_id | text | Microsoft Entra tenant of the connection that returned the row. |
`
