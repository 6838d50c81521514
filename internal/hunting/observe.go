package hunting

import (
	"context"
	"errors"
	"time"
)

// Call is one query as Config.Observe sees it: a KQL text sent until it
// got a 200 or a final error, with what it cost.
type Call struct {
	Started  time.Time
	KQL      string
	Timespan string // "" when none was sent
	// Status is the HTTP status of the last response, 0 when none came.
	Status int
	// Err is why the call failed; nil when it succeeded or the reader
	// stopped it early (Stopped).
	Err       error
	Stopped   bool
	Rows      int   // rows decoded
	Bytes     int64 // response body bytes read
	Duration  time.Duration
	Retries   int           // requests repeated within the call
	Throttled time.Duration // time spent waiting after 429 responses
	// DryRun marks a query that was not sent (WithDryRun).
	DryRun bool
}

// dryRunKey marks a dry-run context.
type dryRunKey struct{}

// WithDryRun returns a context under which the client sends nothing:
// each query it would send is passed to Config.Observe with DryRun set
// and answered with no rows, so a run stops after its first query of
// each window.
func WithDryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

// isDryRun reports whether ctx is a dry run.
func isDryRun(ctx context.Context) bool {
	dry, _ := ctx.Value(dryRunKey{}).(bool)
	return dry
}

// observe reports a finished call: cl's stats before it started are
// before, its last HTTP status is status, and n and err are what fetch
// returns.
func (c *Client) observe(ctx context.Context, cl *call, started time.Time, before Stats, status, n int, err error) {
	if c.cfg.Observe == nil {
		return
	}
	call := Call{Started: started, KQL: cl.kql, Timespan: cl.timespan, Status: status, Err: err, Rows: n,
		Bytes: cl.stats.Bytes - before.Bytes, Duration: c.now().Sub(started),
		Retries: cl.stats.Retries - before.Retries, Throttled: cl.stats.Throttled - before.Throttled}
	var e *Error
	switch {
	case errors.Is(err, errDone):
		// The run's Limit was reached, which happens at a response's end.
		call.Err = nil
	case errors.Is(err, ErrStop):
		call.Err, call.Stopped = nil, true
	case errors.As(err, &e) && e.Status != 0:
		call.Status = e.Status
	}
	c.cfg.Observe(ctx, call)
}
