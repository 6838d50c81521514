package hunting

import (
	"context"
	"errors"
	"fmt"
)

// fetch sends one query, streams its rows to onRow and logs the call. A
// body that cannot be read or decoded comes back as a retryable *Error, a
// result that the pager cannot page (unsorted, no time value) as a final
// *Error; any other error from onRow comes back unchanged. It returns the
// rows decoded. Config.Observe hears of the call; under WithDryRun
// nothing is sent and the result is empty.
func (c *Client) fetch(ctx context.Context, cl *call, onRow func(Row) error) (n int, err error) {
	started, before, status := c.now(), *cl.stats, 0
	if isDryRun(ctx) {
		if c.cfg.Observe != nil {
			c.cfg.Observe(ctx, Call{Started: started, KQL: cl.kql, Timespan: cl.timespan, DryRun: true})
		}
		return 0, nil
	}
	defer func() { c.observe(ctx, cl, started, before, status, n, err) }()
	s, err := c.open(ctx, cl)
	if err != nil {
		return 0, err
	}
	defer s.close()
	status = s.status
	var rowErr error
	n, err = decodeResults(s.body, func(r Row) error {
		rowErr = onRow(r)
		return rowErr
	})
	cl.stats.Bytes += s.body.n
	fields := []any{"api", c.cfg.API, "kql", cl.kql, "timespan", cl.timespan, "status", s.status,
		"rows", n, "bytes", s.body.n, "duration", c.now().Sub(s.started)}
	switch {
	case err == nil:
		c.log.Info("hunting call", fields...)
		return n, nil
	case err == rowErr:
		var fe *formatError
		if errors.As(err, &fe) {
			c.log.Warn("hunting result cannot be paged", append(fields, "error", err)...)
			return n, &Error{API: c.cfg.API, Status: s.status, Query: cl.kql, summary: "the result cannot be paged", Message: fe.msg}
		}
		c.log.Info("hunting call ended by the consumer", fields...)
		return n, err
	case ctx.Err() != nil:
		return n, context.Cause(ctx)
	}
	e := &Error{API: c.cfg.API, Status: s.status, Query: cl.kql, kind: kindDecode, err: err}
	if malformed(err) {
		e.summary = fmt.Sprintf("the response is not a valid hunting result (after %d rows)", n)
	} else {
		e.summary = fmt.Sprintf("the response broke off after %d rows", n)
	}
	c.log.Warn("hunting call failed while reading", append(fields, "error", err)...)
	return n, e
}
