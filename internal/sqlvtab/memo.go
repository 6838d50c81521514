package sqlvtab

import (
	"sync"

	"modernc.org/sqlite/vtab"
)

// memoMaxRows bounds the rows one statement keeps for reuse.
const memoMaxRows = 200000

// memoEntry is one finished scan: its quals, the columns it fetched, the
// limit it was sent with, and its rows.
type memoEntry struct {
	keys  map[string]bool
	cols  map[int]bool
	limit int64
	rows  [][]vtab.Value
}

// memo keeps a statement's finished scans, so a join or an IN list that
// runs the same scan again, or a narrower one, costs no API call. A
// cached scan answers a request whose quals include all of its quals:
// its rows are a superset, and SQLite re-checks every row.
type memo struct {
	mu      sync.Mutex
	entries map[string][]*memoEntry
	rows    int
}

func newMemo() *memo { return &memo{entries: map[string][]*memoEntry{}} }

// lookup returns the rows of a finished scan that can answer the request,
// or false.
func (m *memo) lookup(table string, q *qualSet, cols []int, limit int64) ([][]vtab.Value, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	want := map[string]bool{}
	for _, k := range q.keys {
		want[k] = true
	}
next:
	for _, e := range m.entries[table] {
		for _, c := range cols {
			if !e.cols[c] {
				continue next
			}
		}
		for k := range e.keys {
			if !want[k] {
				continue next
			}
		}
		complete := e.limit < 0 || int64(len(e.rows)) < e.limit
		same := len(e.keys) == len(want)
		if complete || (same && limit >= 0 && limit <= e.limit) {
			return e.rows, true
		}
	}
	return nil, false
}

// store keeps a finished scan, unless the statement holds too many rows
// already.
func (m *memo) store(table string, q *qualSet, cols []int, limit int64, rows [][]vtab.Value) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rows+len(rows) > memoMaxRows {
		return
	}
	e := &memoEntry{keys: map[string]bool{}, cols: map[int]bool{}, limit: limit, rows: rows}
	for _, k := range q.keys {
		e.keys[k] = true
	}
	for _, c := range cols {
		e.cols[c] = true
	}
	m.rows += len(rows)
	m.entries[table] = append(m.entries[table], e)
}
