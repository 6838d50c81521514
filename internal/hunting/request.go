package hunting

import (
	"context"
	"errors"
	"time"
)

// Order is the sort order of a request on its time column.
type Order int

// Sort orders. None is only valid when the request has no time column.
const (
	None Order = iota
	Asc
	Desc
)

// String names the order for logs.
func (o Order) String() string {
	switch o {
	case Asc:
		return "asc"
	case Desc:
		return "desc"
	}
	return "none"
}

// Bound is one end of a time range.
type Bound struct {
	Time      time.Time
	Inclusive bool
}

// Slice is a pair of optional bounds on the time column. The zero Slice
// has no bounds.
type Slice struct {
	Lower, Upper *Bound
}

// Request describes one logical query that Run may send as several HTTP
// requests.
//
// When TimeColumn is set, Render must sort by it as Order says and every
// result row must carry it: the client pages and splits on its values.
type Request struct {
	// Render returns the KQL for one HTTP request: the base query
	// restricted to slice s (the caller adds the time-column predicates for
	// s), sorted by the time column as Order says, ending in `take take`
	// when take > 0.
	Render func(s Slice, take int64) (string, error)
	// TimeColumn is the table's time column, "" when it has none (then the
	// result cannot be split).
	TimeColumn string
	// Window holds the query's own bounds on the time column; it sets the
	// Graph Timespan and the range that a too-large result is split over.
	// Without a lower bound, every request of the run searches from 30
	// days before now, Defender's default, whatever the upper bound.
	Window Slice
	// Order is Asc or Desc when TimeColumn is set, unless OneCall is.
	Order Order
	// Limit is the number of rows wanted; <= 0 means all. Without a
	// Limit, requests on a time column are paged from Config.FirstPage
	// rows up, so that a caller who stops early has paid little.
	Limit int64
	// Wait, when set, is called before every HTTP request (rate limiting).
	Wait func(ctx context.Context) error
	// Latest is set when each result row is the latest row of its group
	// (summarize arg_max on the time column). Render then applies the
	// paging slice to the summarized rows, every request's Timespan is
	// the whole Window, and a too-large result is not split: a narrower
	// window would change which row of a group is the latest. The error
	// for a too-large result then carries TooLargeHint.
	Latest       bool
	TooLargeHint string
	// OneCall is set when Render sorts the rows by more than the time
	// column, and the caller must get them in that order. Keyset paging on
	// the time column and splitting the window would both break it, so
	// the result must come from one call: rows are emitted as they arrive,
	// and a response cut at RowCap, a result too large for one call, or a
	// response that breaks off after rows were emitted is an error whose
	// hint carries OneCallHint. With a Limit of at most RowCap the one
	// call takes Limit rows.
	OneCall     bool
	OneCallHint string
}

// ErrStop, returned by an emit callback, ends a run early without error.
var ErrStop = errors.New("stop")

// Stats describes the work one Run or RunKQL did.
type Stats struct {
	Calls     int           // HTTP requests sent
	Rows      int64         // rows emitted
	Bytes     int64         // response body bytes read
	Retries   int           // requests repeated after a failure or a 401
	Throttled time.Duration // time spent waiting after 429 responses
	Splits    int           // keyset continuations and window bisections
}
