// Package docgen writes the Steampipe Hub style table documents under
// docs/tables from the declarations in internal/schema, together with a set
// of hand-written SQL examples for the most used tables. Every example is
// checked against the schema, so a document never names a column its table
// does not have.
package docgen
