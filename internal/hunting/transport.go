package hunting

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// call is one logical request: the same KQL, sent again after a 401, a 429
// or a transient failure.
type call struct {
	kql      string
	timespan string
	wait     func(context.Context) error
	stats    *Stats
	// failures counts consecutive transient failures without progress; the
	// caller shares it across the requests of one window and resets it when
	// rows arrive.
	failures *int
}

// stallError reports a request that got no data for RequestTimeout.
type stallError struct{ d time.Duration }

func (e *stallError) Error() string { return fmt.Sprintf("no response data for %s", e.d) }

// stream is an open 200 response. Close must be called.
type stream struct {
	body    *watchedBody
	status  int
	started time.Time
	close   func()
}

// watchedBody cancels its request when a single Read waits longer than d;
// time spent outside Read (the caller consuming rows) does not count.
type watchedBody struct {
	r     io.Reader
	ctx   context.Context
	timer *time.Timer
	d     time.Duration
	n     int64
}

func (w *watchedBody) Read(p []byte) (int, error) {
	w.timer.Reset(w.d)
	n, err := w.r.Read(p)
	w.timer.Stop()
	w.n += int64(n)
	if err != nil && err != io.EOF {
		var stall *stallError
		if cause := context.Cause(w.ctx); errors.As(cause, &stall) {
			err = stall
		}
	}
	return n, err
}

// requestBody is the JSON body of both APIs; MDE never gets a Timespan.
type requestBody struct {
	Query    string `json:"Query"`
	Timespan string `json:"Timespan,omitempty"`
}

// open sends cl until it gets a 200 or a final error. It retries once with
// a fresh token after a 401, waits out 429s within MaxThrottleWait and
// retries 5xx responses and connection failures with backoff.
func (c *Client) open(ctx context.Context, cl *call) (*stream, error) {
	var payload bytes.Buffer
	enc := json.NewEncoder(&payload)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(requestBody{Query: cl.kql, Timespan: cl.timespan}); err != nil {
		return nil, fmt.Errorf("hunting: encoding the request: %w", err)
	}
	fresh := false
	var throttled time.Duration
	throttles := 0
	for {
		if cl.wait != nil {
			if err := cl.wait(ctx); err != nil {
				return nil, err
			}
		}
		token, err := c.cfg.Token(ctx, fresh)
		if err != nil {
			return nil, &Error{API: c.cfg.API, Query: cl.kql, summary: "getting an access token failed", err: err}
		}
		if err := c.acquire(ctx); err != nil {
			return nil, err
		}
		started := c.now()
		resp, err := c.post(ctx, token, payload.Bytes())
		cl.stats.Calls++
		if err != nil {
			c.release()
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			e := &Error{API: c.cfg.API, Query: cl.kql, summary: "the request failed", err: err}
			c.log.Warn("hunting request failed", "kql", cl.kql, "timespan", cl.timespan, "duration", c.now().Sub(started), "error", err)
			if Permanent(err) {
				return nil, e
			}
			if err := c.retry(ctx, cl, e, 0); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode == http.StatusOK {
			// The slot is freed when the stream is closed, or as soon as
			// ctx ends: a consumer can be stuck for good after a
			// cancellation (the SDK's StreamListItem blocks once nobody
			// reads its rows), and must not keep the slot from every later
			// query of the connection.
			free := sync.OnceFunc(c.release)
			stop := context.AfterFunc(ctx, free)
			return &stream{body: resp.body, status: resp.StatusCode, started: started, close: func() {
				stop()
				resp.done()
				free()
			}}, nil
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.body, 64<<10))
		resp.done()
		c.release()
		e := c.statusError(cl.kql, resp.StatusCode, raw)
		c.log.Warn("hunting request failed", "kql", cl.kql, "timespan", cl.timespan, "duration", c.now().Sub(started),
			"status", resp.StatusCode, "code", e.Code, "message", e.Message)
		switch e.Status {
		case http.StatusUnauthorized:
			if fresh {
				return nil, e
			}
			fresh = true
			cl.stats.Retries++
			c.log.Info("retrying hunting request with a fresh token")
		case http.StatusTooManyRequests:
			throttles++
			if err := c.throttle(ctx, cl, e, resp.Header, &throttled, throttles); err != nil {
				return nil, err
			}
		case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			after, _ := RetryAfter(resp.Header, c.now())
			if err := c.retry(ctx, cl, e, after); err != nil {
				return nil, err
			}
		default:
			return nil, e
		}
	}
}

// response is a sent request whose body is being watched for stalls.
type response struct {
	*http.Response
	body *watchedBody
	done func() // closes the body and releases the request's resources
}

// post sends one request. RequestTimeout bounds the wait for the response
// headers; after that it bounds each wait for body data.
func (c *Client) post(ctx context.Context, token string, payload []byte) (*response, error) {
	rctx, cancel := context.WithCancelCause(ctx)
	d := c.cfg.RequestTimeout
	stall := &stallError{d: d}
	timer := time.AfterFunc(d, func() { cancel(stall) })
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, c.url, bytes.NewReader(payload))
	if err != nil {
		timer.Stop()
		cancel(nil)
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	timer.Stop()
	if err != nil {
		if cause := context.Cause(rctx); cause == stall {
			err = stall
		}
		cancel(nil)
		return nil, err
	}
	body := &watchedBody{r: resp.Body, ctx: rctx, timer: timer, d: d}
	return &response{Response: resp, body: body, done: func() {
		timer.Stop()
		resp.Body.Close()
		cancel(nil)
	}}, nil
}

// Permanent reports transport errors that a retry cannot fix.
func Permanent(err error) bool {
	var certErr *tls.CertificateVerificationError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &certErr), errors.As(err, &authErr), errors.As(err, &hostErr), errors.As(err, &invalidErr):
		return true
	case errors.As(err, &dnsErr):
		return dnsErr.IsNotFound
	}
	return false
}

// retry counts a transient failure and sleeps before the next attempt, or
// returns e when MaxRetries consecutive failures are used up. after is a
// server-requested delay (Retry-After), honoured when it is longer than
// the backoff and within MaxThrottleWait.
func (c *Client) retry(ctx context.Context, cl *call, e *Error, after time.Duration) error {
	*cl.failures++
	if *cl.failures > c.cfg.MaxRetries {
		e.hint = joinHint(e.hint, fmt.Sprintf("Gave up after %d %s", c.cfg.MaxRetries, plural(c.cfg.MaxRetries, "retry", "retries")))
		return e
	}
	d := Backoff(c.backoff, c.maxDelay, *cl.failures)
	if after > d && after <= c.cfg.MaxThrottleWait {
		d = after
	}
	c.log.Warn("retrying hunting request", "attempt", *cl.failures, "of", c.cfg.MaxRetries, "wait", d, "status", e.Status, "error", e.Error())
	cl.stats.Retries++
	return c.sleep(ctx, d)
}

// throttle handles a 429: it waits as the server asks when that fits in
// MaxThrottleWait (counting earlier waits for the same request), and
// otherwise turns e into an error that says when queries work again. A
// CPU-quota 429 is always final: the quota only resets with the next
// 15-minute cycle.
func (c *Client) throttle(ctx context.Context, cl *call, e *Error, h http.Header, throttled *time.Duration, n int) error {
	now := c.now().UTC()
	wait, given := RetryAfter(h, now)
	if !given {
		wait, given = messageWait(e.Message)
	}
	if isCPUQuota(e.Code, e.Message) {
		at := nextCycle(now)
		if given {
			at = now.Add(wait)
		}
		e.summary = "the tenant's advanced hunting CPU quota is used up"
		e.RetryAt = ceilSecond(at)
		e.hint = "Queries will work again at " + formatTime(e.RetryAt)
		return e
	}
	if !given {
		wait = Backoff(2*c.backoff, c.maxDelay, n)
	}
	if wait > c.cfg.MaxThrottleWait || *throttled+wait > c.cfg.MaxThrottleWait {
		e.summary = "the API call quota is used up"
		e.RetryAt = ceilSecond(now.Add(wait))
		waited := ""
		if *throttled > 0 {
			waited = fmt.Sprintf(" after %s of waiting", *throttled)
		}
		e.hint = fmt.Sprintf("The service asks to wait %s%s, beyond the %s allowed by max throttle wait; queries will work again at %s",
			wait, waited, c.cfg.MaxThrottleWait, formatTime(e.RetryAt))
		return e
	}
	c.log.Warn("hunting request throttled, waiting", "wait", wait, "code", e.Code, "message", e.Message)
	*throttled += wait
	cl.stats.Throttled += wait
	cl.stats.Retries++
	return c.sleep(ctx, wait)
}

func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (c *Client) release() { <-c.sem }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
