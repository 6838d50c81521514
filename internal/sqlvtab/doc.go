// Package sqlvtab exposes every table of a Steampipe plugin as a SQLite
// virtual table, with the plugin running in-process: SQL over the
// plugin's API without Steampipe or Postgres.
//
// Open starts the plugin through the SDK's plugin.Server, configures its
// connections and creates one virtual table per plugin table in a private
// in-memory database. Each scan is an SDK Execute call whose quals, columns
// and limit come from SQLite's query plan:
//
//   - Only constraints on key columns with a declared operator are pushed.
//     SQLite re-checks every row (Omit is never set) and sorts itself
//     (OrderByConsumed is never set), so a pushed constraint only has to
//     give a superset of the answer.
//   - =, IS, IS NULL, IS NOT NULL and ranges are pushed with the value
//     coerced to the column's type as SQLite compares it; a value that
//     cannot be coerced losslessly is not pushed. A comparison with NULL
//     returns no rows without calling the plugin.
//   - != is pushed as <>. LIKE is pushed as ILIKE (~~*) with backslashes
//     escaped: a superset, since SQLite folds ASCII letters only. GLOB is
//     pushed as LIKE (~~) unless it has a [...] class.
//   - LIMIT (plus OFFSET) reaches the plugin only when every constraint was
//     pushed exactly, with no LIKE, GLOB or !=, and there is no ORDER BY.
//   - A statement containing the word COLLATE pushes no string
//     comparison, because a virtual table cannot see collations.
//
// Values: BOOL columns are INTEGER 0/1, JSON is its text, and timestamps
// are fixed-width UTC text in TimeLayout ("2026-11-20 12:00:00.000000"),
// cut to microseconds. Fixed width keeps text order equal to time order;
// a comparison with such text, or with a prefix of it cut at a field
// ('2026-11-20', or datetime('now','-1 day')), is pushed as an exact time
// range.
//
// Within one statement, finished scans are memoised: a join or IN list
// that repeats a scan, or narrows a finished one, costs no plugin call.
// The memo holds at most memoMaxBytes of rows in memory per statement; a
// streamed scan beyond that is not memoised. When a statement reads more
// than one table, each scan is read in full before its first row is
// returned, so nested loops can reuse it; what does not fit the memory
// budget is spilled to an unlinked temporary file. Once the inner side of
// a nested loop is filtered again with a different join value, it is
// scanned once without the join condition and every later outer row is
// answered from the memo. A join thus costs a few API calls, not one per
// outer row, and its memory stays bounded.
//
// Hidden columns: the SDK's sp_connection_name, sp_ctx and _ctx; and, on
// a table with a required key column, its key columns, which can then be
// given as table-valued function arguments:
//
//	select data from defender_hunting_query('DeviceInfo | take 5', 'P1D')
package sqlvtab
