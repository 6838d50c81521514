// Package sqlitebed holds the test that runs every ```sql+sqlite example of
// the documentation through defender-sql's engine (internal/sqlvtab) with
// the plugin in-process against the simulator. It has no code of its own;
// its data set matches internal/pgbed's, so both dialects of an example see
// the same tenant.
package sqlitebed
