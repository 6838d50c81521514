package sim

import (
	"net/url"
	"sync"
	"time"
)

// Call is one entry of the hunting call log. It never holds a token or a
// secret.
type Call struct {
	// Time is when the call arrived, on the simulator clock.
	Time time.Time
	// API is "graph" or "mde".
	API string
	// Path is the request path.
	Path string
	// Query is the KQL text, once the body was read.
	Query string
	// Params are the URL query parameters of a call to a Graph security
	// endpoint ($filter, $top, $skip, $count, $expand).
	Params url.Values
	// Timespan is the Timespan as sent (Graph only).
	Timespan string
	// ClientID and Tenant identify the caller, once its token was verified.
	ClientID, Tenant string
	// Status is the HTTP status sent, 0 if the client left first.
	Status int
	// Rows is the number of result rows sent.
	Rows int
	// Scanned is the number of rows the query's where clauses read, and
	// Skipped the number of rows Kusto's term index (modelled by the
	// engine: a top-level `has`/`has_cs` test of one term of three or more
	// characters) ruled out before they were read. Both are set once the
	// query ran.
	Scanned, Skipped int64
	// Bytes is the size of the response body sent (for a reset, the part
	// sent before the connection was closed).
	Bytes int64
	// Duration is the real time from arrival until the answer was ready.
	Duration time.Duration
	// Fault names the injected fault that shaped the answer: "fail",
	// "malformed" or "reset"; empty otherwise.
	Fault string
}

// callLog is a concurrency-safe list of calls.
type callLog struct {
	mu    sync.Mutex
	calls []Call
}

func (l *callLog) add(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

func (l *callLog) list() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Call(nil), l.calls...)
}

func (l *callLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = nil
}
