package graphsec

import (
	"context"
	"errors"
	"time"
)

// Call is one page or entity request as Config.Observe sees it: a URL
// requested until it got a 200 or a final error, with what it cost.
type Call struct {
	Started time.Time
	URL     string
	// Status is the HTTP status of the last response, 0 when none came.
	Status int
	// Err is why the call failed; nil when it succeeded or the reader
	// stopped it early (Stopped).
	Err       error
	Stopped   bool
	Items     int // entities read
	Duration  time.Duration
	Retries   int           // requests repeated within the call
	Throttled time.Duration // time spent waiting after 429 responses
	// DryRun marks a request that was not sent (WithDryRun).
	DryRun bool
}

type dryRunKey struct{}

// WithDryRun returns a context under which the client sends nothing:
// each request it would send is passed to Config.Observe with DryRun set
// and answered with an empty page, or no entity.
func WithDryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

// dryRun reports a request not sent under WithDryRun, and whether ctx is
// a dry run.
func (c *Client) dryRun(ctx context.Context, url string) bool {
	if dry, _ := ctx.Value(dryRunKey{}).(bool); !dry {
		return false
	}
	if c.cfg.Observe != nil {
		c.cfg.Observe(ctx, Call{Started: c.now(), URL: url, DryRun: true})
	}
	return true
}

// observe reports a finished request: a's stats and throttle wait before
// it started are before and waited, and err is how it ended.
func (c *Client) observe(ctx context.Context, a *attempt, started time.Time, before Stats, waited time.Duration, err error) {
	if c.cfg.Observe == nil {
		return
	}
	call := Call{Started: started, URL: a.url, Status: a.status, Err: err, Items: a.stats.Items - before.Items,
		Duration: c.now().Sub(started), Retries: a.stats.Retries - before.Retries, Throttled: a.waited - waited}
	if errors.Is(err, ErrStop) {
		call.Err, call.Stopped = nil, true
	}
	c.cfg.Observe(ctx, call)
}
