package sqlvtab

import (
	"context"
	"errors"
	"regexp"
	"sync"
)

// statement is the state of the one SQL statement running on a DB: its
// context, the first plugin error (SQLite drops the text of an error
// returned from a cursor's Next, so the bridge keeps it here), the
// columns each table is read with, and the memo of finished scans.
type statement struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	// collate is set when the statement text mentions COLLATE. A
	// collation is invisible to a virtual table, so string comparisons
	// are then not pushed down.
	collate bool

	mu      sync.Mutex
	err     error
	used    map[string]uint64 // table key → ColUsed of every use of it
	cursors int
	memo    *memo // nil: no memo
}

var collateWord = regexp.MustCompile(`(?i)\bcollate\b`)

func newStatement(parent context.Context, query string, withMemo bool) *statement {
	ctx, cancel := context.WithCancelCause(parent)
	st := &statement{ctx: ctx, cancel: cancel, collate: collateWord.MatchString(query), used: map[string]uint64{}}
	if withMemo {
		st.memo = newMemo()
	}
	return st
}

// fail records the first plugin error of the statement.
func (st *statement) fail(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.err == nil {
		st.err = err
	}
}

// pluginErr returns the first plugin error, if any.
func (st *statement) pluginErr() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.err
}

// wrap turns an error from SQLite into the error the caller sees: the
// plugin's own error when one caused it, since SQLite may have reduced it
// to "SQL logic error".
func (st *statement) wrap(err error) error {
	if err == nil {
		return nil
	}
	if pe := st.pluginErr(); pe != nil {
		return pe
	}
	if ce := context.Cause(st.ctx); ce != nil && !errors.Is(ce, errStatementDone) {
		return ce
	}
	return err
}

// errStatementDone cancels a statement's scans when it is closed.
var errStatementDone = errors.New("sqlvtab: statement closed")

// use records that the statement reads a table with the columns in mask.
// Every scan of the table then fetches the union of them, so one scan's
// rows can answer another's from the memo (a self-join, say).
func (st *statement) use(key string, mask uint64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.used[key] |= mask
}

// columnsUsed returns the union mask for a table, or own when none was
// recorded.
func (st *statement) columnsUsed(key string, own uint64) uint64 {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.used[key] | own
}

// opened counts a cursor the statement opened.
func (st *statement) opened() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.cursors++
}

// openCursors is the number of cursors the statement opened.
func (st *statement) openCursors() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cursors
}
