package sqlvtab

import (
	"context"
	"database/sql"
	"errors"
)

// ErrBusy is returned by Query while the previous statement's Rows are
// still open.
var ErrBusy = errors.New("sqlvtab: another statement is still open; close its rows first")

// Rows is the result of Query. Its errors carry the plugin's own message
// where SQLite would only say "SQL logic error".
type Rows struct {
	db     *DB
	st     *statement
	rows   *sql.Rows
	stop   func() bool
	closed bool
}

// Query runs one SQL statement. Cancelling ctx, or closing the Rows,
// cancels the plugin scans it started.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	db.mu.Lock()
	if db.cur != nil {
		db.mu.Unlock()
		return nil, ErrBusy
	}
	st := newStatement(ctx, query, true)
	stop := context.AfterFunc(db.ctx, func() { st.cancel(context.Canceled) })
	db.cur = st
	db.mu.Unlock()
	r := &Rows{db: db, st: st, stop: stop}
	rows, err := db.conn.QueryContext(st.ctx, query, args...)
	if err != nil {
		r.end()
		return nil, st.wrap(err)
	}
	r.rows = rows
	return r, nil
}

// Columns returns the result's column names.
func (r *Rows) Columns() ([]string, error) { return r.rows.Columns() }

// Next advances to the next row; see Err when it returns false.
func (r *Rows) Next() bool { return r.rows.Next() }

// Scan copies the current row into dest, as sql.Rows.Scan does.
func (r *Rows) Scan(dest ...any) error { return r.st.wrap(r.rows.Scan(dest...)) }

// Values returns the current row as int64, float64, string, []byte or
// nil values.
func (r *Rows) Values() ([]any, error) {
	cols, err := r.rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.Scan(ptrs...); err != nil {
		return nil, err
	}
	return vals, nil
}

// Err is the error that ended the rows, if any.
func (r *Rows) Err() error { return r.st.wrap(r.rows.Err()) }

// Close ends the statement and cancels its scans.
func (r *Rows) Close() error {
	if r.closed {
		return nil
	}
	var err error
	if r.rows != nil {
		err = r.rows.Close()
	}
	r.end()
	return err
}

func (r *Rows) end() {
	r.closed = true
	r.stop()
	r.st.cancel(errStatementDone)
	r.st.memo.close()
	r.db.mu.Lock()
	if r.db.cur == r.st {
		r.db.cur = nil
	}
	r.db.mu.Unlock()
}

// QueryAll runs a statement and returns its column names and every row.
func (db *DB) QueryAll(ctx context.Context, query string, args ...any) ([]string, [][]any, error) {
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			return cols, out, err
		}
		out = append(out, v)
	}
	return cols, out, rows.Err()
}
