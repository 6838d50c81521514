package graphsec

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
)

// errNotFound is a 404: the entity does not exist.
var errNotFound = errors.New("not found")

// attempt is the retry state of one logical request (one page or one
// entity), shared by its HTTP attempts.
type attempt struct {
	req      Request
	url      string
	stats    *Stats
	failures int           // consecutive transient failures
	waited   time.Duration // time spent waiting after 429s
	status   int           // the last response's HTTP status
}

// open sends a GET for a.url until it gets a 200 or a final error: once
// more with a fresh token after a 401, after the server's Retry-After
// (within MaxThrottleWait in total) after a 429, and with backoff after a
// 5xx or a connection failure, up to MaxRetries in a row. A 404 returns
// errNotFound. The caller closes the body.
func (c *Client) open(ctx context.Context, a *attempt) (io.ReadCloser, error) {
	fresh := false
	throttles := 0
	for {
		if a.req.Wait != nil {
			if err := a.req.Wait(ctx); err != nil {
				return nil, err
			}
		}
		token, err := c.cfg.Token(ctx, fresh)
		if err != nil {
			return nil, &Error{Collection: a.req.Collection, URL: a.url, summary: "getting an access token for Microsoft Graph failed", err: err}
		}
		hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, a.url, nil)
		if err != nil {
			return nil, err
		}
		hreq.Header.Set("Authorization", "Bearer "+token)
		hreq.Header.Set("Accept", "application/json")
		started := c.now()
		resp, err := c.http.Do(hreq)
		a.stats.Calls++
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			e := &Error{Collection: a.req.Collection, URL: a.url, summary: "the request failed", err: err}
			if hunting.Permanent(err) {
				return nil, e
			}
			if err := c.retry(ctx, a, e, 0); err != nil {
				return nil, err
			}
			continue
		}
		a.status = resp.StatusCode
		if resp.StatusCode == http.StatusOK {
			return resp.Body, nil
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		code, msg, id := hunting.ParseErrorBody(raw)
		e := &Error{Collection: a.req.Collection, Status: resp.StatusCode, Code: code, Message: msg, RequestID: id, URL: a.url}
		c.log.Warn("graph security request failed", "url", a.url, "status", resp.StatusCode, "code", code,
			"message", msg, "duration", c.now().Sub(started))
		switch resp.StatusCode {
		case http.StatusNotFound:
			return nil, errNotFound
		case http.StatusUnauthorized:
			if fresh {
				e.summary = "authentication failed even with a fresh token"
				e.hint = "Check the tenant ID, the client credentials and that the token audience is Microsoft Graph"
				return nil, e
			}
			fresh = true
			a.stats.Retries++
		case http.StatusForbidden:
			e.summary, e.hint = "access denied", permissionHint(a.req.Permission)
			return nil, e
		case http.StatusTooManyRequests:
			throttles++
			if err := c.throttle(ctx, a, e, resp.Header, throttles); err != nil {
				return nil, err
			}
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			e.summary = "the service failed"
			after, _ := hunting.RetryAfter(resp.Header, c.now())
			if err := c.retry(ctx, a, e, after); err != nil {
				return nil, err
			}
		case http.StatusBadRequest:
			e.summary = "the request was rejected"
			return nil, e
		default:
			e.summary = "unexpected response"
			return nil, e
		}
	}
}

// retry counts a transient failure and sleeps before the next attempt, or
// returns e once MaxRetries consecutive failures are used up. after is a
// server-requested delay, honoured when longer than the backoff and
// within MaxThrottleWait.
func (c *Client) retry(ctx context.Context, a *attempt, e *Error, after time.Duration) error {
	a.failures++
	if a.failures > c.cfg.MaxRetries {
		e.hint = fmt.Sprintf("Gave up after %d retries", c.cfg.MaxRetries)
		return e
	}
	d := hunting.Backoff(c.backoff, c.ceiling, a.failures)
	if after > d && after <= c.cfg.MaxThrottleWait {
		d = after
	}
	c.log.Warn("retrying graph security request", "attempt", a.failures, "of", c.cfg.MaxRetries, "wait", d, "error", e.Error())
	a.stats.Retries++
	return c.sleep(ctx, d)
}

// throttle waits out a 429 as the server asks (Retry-After, else
// backoff) while the total wait for the request stays within
// MaxThrottleWait; beyond that it returns e saying how long to wait.
func (c *Client) throttle(ctx context.Context, a *attempt, e *Error, h http.Header, n int) error {
	wait, given := hunting.RetryAfter(h, c.now())
	if !given {
		wait = hunting.Backoff(2*c.backoff, c.ceiling, n)
	}
	e.summary = "throttled"
	if a.waited+wait > c.cfg.MaxThrottleWait {
		e.hint = fmt.Sprintf("The service asks to wait %s, beyond the %s allowed by max throttle wait", wait, c.cfg.MaxThrottleWait)
		return e
	}
	c.log.Warn("graph security request throttled, waiting", "wait", wait, "url", a.url)
	a.waited += wait
	a.stats.Retries++
	return c.sleep(ctx, wait)
}
