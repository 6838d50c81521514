// Package docgen writes the Steampipe Hub style table documents under
// docs/tables from the declarations in internal/schema, together with a set
// of hand-written SQL examples for the most used tables. Every example is
// checked against the schema, so a document never names a column its table
// does not have.
//
// Every ```sql+postgres block of docs/ and README.md also runs in a real
// PostgreSQL over the rows the plugin returns from the simulator
// (internal/pgbed, TestDocsExamples): it must run without error and return
// at least one row. A block that rightly returns no rows, such as a lookup
// of one indicator, is marked by the line
//
//	<!-- expect: none -->
//
// immediately before its opening fence.
package docgen
