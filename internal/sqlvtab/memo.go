package sqlvtab

import "sync"

// memoMaxBytes bounds the memory one statement keeps for finished scans
// (an estimate, see rowBytes). A scan a join must keep beyond it goes to
// a temporary file; a streamed scan beyond it is not memoised, and runs
// again if it is asked for again.
var memoMaxBytes int64 = 8 << 20

// memoEntry is one finished scan: its quals, the columns it fetched, the
// limit it was sent with, and its rows.
type memoEntry struct {
	keys  map[string]bool
	cols  map[int]bool
	limit int64
	rows  *rowSet
}

// memo keeps a statement's finished scans, so a join or an IN list that
// runs the same scan again, or a narrower one, costs no API call. A
// cached scan answers a request whose quals include all of its quals:
// its rows are a superset, and SQLite re-checks every row.
type memo struct {
	mu      sync.Mutex
	entries map[string][]*memoEntry
	bytes   int64 // memory held by rowSets of the statement
	closed  bool
}

func newMemo() *memo { return &memo{entries: map[string][]*memoEntry{}} }

// reserve takes n bytes of the statement's memory budget, or reports
// that the budget is spent. A nil memo has no budget.
func (m *memo) reserve(n int64) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || m.bytes+n > memoMaxBytes {
		return false
	}
	m.bytes += n
	return true
}

// release gives back budget taken by reserve.
func (m *memo) release(n int64) {
	if m == nil || n == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bytes -= n
}

// lookup returns the rows of a finished scan that can answer the request,
// or nil.
func (m *memo) lookup(table string, q *qualSet, cols []int, limit int64) *rowSet {
	if m == nil {
		return nil
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
		complete := e.limit < 0 || int64(e.rows.len()) < e.limit
		same := len(e.keys) == len(want)
		if complete || (same && limit >= 0 && limit <= e.limit) {
			return e.rows
		}
	}
	return nil
}

// store keeps a finished scan until the statement ends. A nil memo
// closes the rows at once.
func (m *memo) store(table string, q *qualSet, cols []int, limit int64, rows *rowSet) {
	if m == nil {
		rows.close(nil)
		return
	}
	e := &memoEntry{keys: map[string]bool{}, cols: map[int]bool{}, limit: limit, rows: rows}
	for _, k := range q.keys {
		e.keys[k] = true
	}
	for _, c := range cols {
		e.cols[c] = true
	}
	m.mu.Lock()
	closed := m.closed
	if !closed {
		m.entries[table] = append(m.entries[table], e)
	}
	m.mu.Unlock()
	if closed {
		rows.close(m)
	}
}

// close frees every kept scan; the statement has ended.
func (m *memo) close() {
	if m == nil {
		return
	}
	m.mu.Lock()
	entries := m.entries
	m.entries, m.closed = map[string][]*memoEntry{}, true
	m.mu.Unlock()
	for _, es := range entries {
		for _, e := range es {
			e.rows.close(m)
		}
	}
}
