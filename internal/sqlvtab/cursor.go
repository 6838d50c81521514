package sqlvtab

import (
	"bytes"

	"modernc.org/sqlite/vtab"
)

// cursor is one scan of a virtual table. Rows come either from a running
// plugin scan (streamed), or from a finished scan's rowSet: a memo hit,
// or a scan drained in Filter because the statement reads more than one
// table and nested loops would otherwise re-run it per outer row.
type cursor struct {
	t  *vtable
	st *statement

	scan    *scan
	kept    *rowSet // streamed rows kept for the memo; nil once over budget
	keep    func(*rowSet)
	src     *rowIter
	current []vtab.Value
	eof     bool
	rowid   int64

	// The previous Filter's plan and arguments, and which terms changed
	// value between Filters: the inner side of a nested-loop join.
	prevIdx string
	prev    []vtab.Value
	varying []bool
}

// Filter starts a scan with the plan chosen by BestIndex and the
// constraint values SQLite passes.
func (c *cursor) Filter(_ int, idxStr string, vals []vtab.Value) error {
	c.stop()
	p, err := decodePlan(idxStr)
	if err != nil {
		return err
	}
	join := c.st.openCursors() > 1
	var skip []bool
	if join {
		skip = c.track(idxStr, vals)
	}
	q := buildQuals(c.t.def, p, vals, skip)
	if q.none {
		c.eof = true
		return nil
	}
	limit := int64(-1)
	if p.Limit >= 0 && p.Limit < len(vals) && q.exact {
		if n, ok := vals[p.Limit].(int64); ok && n >= 0 {
			limit = n
			if p.Offset >= 0 && p.Offset < len(vals) {
				if off, ok := vals[p.Offset].(int64); ok && off > 0 {
					limit += off
				}
			}
		}
	}
	cols, names := c.t.columns(c.st.columnsUsed(c.t.key(), p.Used))
	memo := c.st.memo
	if rows := memo.lookup(c.t.key(), q, cols, limit); rows != nil {
		c.src = rows.iter()
		return c.Next()
	}
	c.scan = c.t.db.startScan(c.st.ctx, c.t, names, q, limit)
	key := c.t.key()
	c.keep = func(rows *rowSet) { memo.store(key, q, cols, limit, rows) }
	if join {
		rows, err := c.drain()
		if err != nil {
			c.st.fail(err)
			return err
		}
		c.src = rows.iter()
	} else if memo != nil {
		c.kept = &rowSet{}
	}
	return c.Next()
}

// track compares the Filter arguments with the previous Filter's and
// returns the terms whose value has changed. In a join such a term comes
// from the outer row: pushing it would cost one plugin call per outer row,
// so once it varies the scan is run without it, once, and later Filters
// are answered from the memo.
func (c *cursor) track(idxStr string, vals []vtab.Value) []bool {
	if idxStr != c.prevIdx || len(vals) != len(c.prev) {
		c.prevIdx, c.varying = idxStr, make([]bool, len(vals))
	} else {
		for i, v := range vals {
			if !sameValue(v, c.prev[i]) {
				c.varying[i] = true
			}
		}
	}
	c.prev = append(c.prev[:0], vals...)
	return c.varying
}

// sameValue compares two SQLite values; a BLOB is not comparable with ==.
func sameValue(a, b vtab.Value) bool {
	if x, ok := a.([]byte); ok {
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	}
	if _, ok := b.([]byte); ok {
		return false
	}
	return a == b
}

// drain reads the whole running scan into a rowSet, which keeps what the
// statement's memory budget allows and spills the rest to disk.
func (c *cursor) drain() (*rowSet, error) {
	rows := &rowSet{}
	for {
		r, err := c.scan.next(c.t)
		if err == nil && r != nil {
			err = rows.add(c.st.memo, r)
		}
		if err == nil && r == nil {
			err = rows.finish()
		}
		if err != nil {
			rows.close(c.st.memo)
			return nil, err
		}
		if r == nil {
			c.finish(rows)
			return rows, nil
		}
	}
}

// finish ends a scan that ran to completion and memoises its rows.
func (c *cursor) finish(rows *rowSet) {
	c.scan.cancel()
	c.scan = nil
	if rows != nil && c.keep != nil {
		c.keep(rows)
	}
	c.keep = nil
}

// Next moves to the next row. An error from the plugin is also kept on
// the statement, because SQLite reports an error from Next without its
// text.
func (c *cursor) Next() error {
	if c.scan == nil {
		r, err := c.next()
		if err != nil {
			c.st.fail(err)
			c.eof = true
			return err
		}
		c.current, c.eof = r, r == nil
		if r != nil {
			c.rowid++
		}
		return nil
	}
	r, err := c.scan.next(c.t)
	if err != nil {
		c.st.fail(err)
		c.eof = true
		return err
	}
	if r == nil {
		kept := c.kept
		c.kept = nil
		c.finish(kept)
		c.eof, c.current = true, nil
		return nil
	}
	c.record(r)
	c.current = r
	c.rowid++
	return nil
}

// next returns the next row of a finished scan, or nil at the end.
func (c *cursor) next() ([]vtab.Value, error) {
	if c.src == nil {
		return nil, nil
	}
	return c.src.next()
}

// record keeps a streamed row for the memo while the statement's memory
// budget allows; once it does not, the scan is not memoised.
func (c *cursor) record(r []vtab.Value) {
	if c.kept == nil {
		return
	}
	if c.kept.addMem(c.st.memo, r) {
		return
	}
	c.kept.close(c.st.memo)
	c.kept = nil
}

// Eof reports the end of the rows.
func (c *cursor) Eof() bool { return c.eof }

// Column returns column i of the current row.
func (c *cursor) Column(i int) (vtab.Value, error) {
	if c.current == nil || i < 0 || i >= len(c.current) {
		return nil, nil
	}
	return c.current[i], nil
}

// Rowid is the row's position in this scan. It is not stable across
// scans, which is why constrained plans are costed so that SQLite never
// de-duplicates OR branches by rowid.
func (c *cursor) Rowid() (int64, error) { return c.rowid, nil }

// Close cancels the scan.
func (c *cursor) Close() error {
	c.stop()
	return nil
}

// stop cancels a running scan and resets the cursor.
func (c *cursor) stop() {
	if c.scan != nil {
		c.scan.cancel()
		c.scan = nil
	}
	if c.kept != nil {
		c.kept.close(c.st.memo)
	}
	c.kept, c.keep = nil, nil
	c.src, c.current, c.eof, c.rowid = nil, nil, false, 0
}
