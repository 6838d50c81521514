package defender

import (
	"sync"
)

// queryLogSize is how many calls the query log keeps per connection.
const queryLogSize = 500

// queryLog is a ring of a connection's most recent calls.
type queryLog struct {
	mu    sync.Mutex
	calls []Call // at most queryLogSize; next is the oldest once full
	next  int
}

// queryLogs holds one log per connection name, for the plugin process's
// lifetime.
var queryLogs = struct {
	sync.Mutex
	m map[string]*queryLog
}{m: map[string]*queryLog{}}

// queryLogFor returns the log of a connection.
func queryLogFor(connection string) *queryLog {
	queryLogs.Lock()
	defer queryLogs.Unlock()
	l := queryLogs.m[connection]
	if l == nil {
		l = &queryLog{}
		queryLogs.m[connection] = l
	}
	return l
}

// add appends a call, dropping the oldest when the log is full.
func (l *queryLog) add(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.calls) < queryLogSize {
		l.calls = append(l.calls, c)
		return
	}
	l.calls[l.next] = c
	l.next = (l.next + 1) % queryLogSize
}

// newestFirst returns a copy of the calls, the most recent first.
func (l *queryLog) newestFirst() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Call, 0, len(l.calls))
	for i := len(l.calls) - 1; i >= 0; i-- {
		out = append(out, l.calls[(l.next+i)%len(l.calls)])
	}
	return out
}
