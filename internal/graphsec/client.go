// Package graphsec is the client for Microsoft Graph's security
// collections: incidents, alerts_v2, secureScores and
// secureScoreControlProfiles. It lists a collection with $filter, $top and
// $expand, follows @odata.nextLink page by page (calling a wait hook before
// each request, for the caller's rate limiter), decodes each page as a
// stream, and reads single entities by id, where a 404 is "no entity", not
// an error.
//
// Throttling (429 with Retry-After), expired tokens (401) and transient
// failures (5xx, broken connections, a page that breaks off) are handled
// here with the hunting client's rules (hunting.RetryAfter, Backoff,
// Permanent); a 403 names the Graph permission the collection needs. The
// package knows nothing about SQL: the caller writes the $filter with
// package odata.
package graphsec

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/apiclient"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxThrottleWait = 5 * time.Minute
	DefaultMaxRetries      = 4
	DefaultRequestTimeout  = 2 * time.Minute
)

// Config configures a Client. Endpoint and Token are required.
type Config struct {
	// Endpoint is the Graph service root: "https://graph.microsoft.com",
	// a national cloud's root or a simulator's address.
	Endpoint string
	// Token returns a bearer token for Graph; fresh=true must bypass any
	// cache (it is asked for after a 401).
	Token func(ctx context.Context, fresh bool) (string, error)
	// HTTPClient sends the requests; nil uses one with RequestTimeout.
	HTTPClient *http.Client
	// Logger receives one INFO line per page and every wait and retry.
	Logger hclog.Logger
	// MaxThrottleWait is the longest total 429 wait accepted for one
	// request before failing.
	MaxThrottleWait time.Duration
	// MaxRetries bounds consecutive retries of transient failures.
	MaxRetries int
	// RequestTimeout bounds one request, body included, when HTTPClient
	// is nil.
	RequestTimeout time.Duration
	// Observe, when set, is told about every page or entity request once
	// it is done (see Call), and about every request a dry run would send
	// (see WithDryRun). It must not block.
	Observe func(ctx context.Context, c Call)
}

// Client reads Graph security collections. It is safe for concurrent use.
type Client struct {
	cfg     Config
	root    *url.URL
	http    *http.Client
	log     hclog.Logger
	backoff time.Duration // first retry delay; doubles per retry
	ceiling time.Duration // cap on one retry delay
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
}

// New validates cfg, applies defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.Token == nil {
		return nil, errors.New("graphsec: Config.Token is required")
	}
	u, err := apiclient.Endpoint("graphsec", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.MaxThrottleWait <= 0 {
		cfg.MaxThrottleWait = DefaultMaxThrottleWait
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: cfg.RequestTimeout}
	}
	return &Client{cfg: cfg, root: u, http: hc, log: cfg.Logger, backoff: time.Second, ceiling: 30 * time.Second,
		now: time.Now, sleep: sleepCtx}, nil
}

// Request names a collection and how to read it.
type Request struct {
	// Collection is the path segment under /v1.0/security/, e.g.
	// "incidents" or "alerts_v2".
	Collection string
	// Permission is the Graph permission the collection needs, named in
	// the error for a 403.
	Permission string
	// Filter is the $filter value, "" for none.
	Filter string
	// Top is the $top value (the page size); 0 sends none.
	Top int
	// Expand is the $expand value, "" for none.
	Expand string
	// Wait, when set, is called before every HTTP request (rate limiting).
	Wait func(ctx context.Context) error
}

// Item is one entity: its properties as undecoded JSON.
type Item map[string]json.RawMessage

// ErrStop, returned by an emit callback, ends a listing early without
// error.
var ErrStop = errors.New("stop")

// Stats describes the work one List or Get did.
type Stats struct {
	Calls   int // HTTP requests sent
	Pages   int // pages read completely or up to the stop
	Items   int // entities emitted
	Retries int // requests repeated after a failure, a 401 or a 429
}

// collectionURL is the list URL of req, with its query options.
func (c *Client) collectionURL(req Request) string {
	u := *c.root
	u.Path += "/v1.0/security/" + req.Collection
	q := url.Values{}
	if req.Filter != "" {
		q.Set("$filter", req.Filter)
	}
	if req.Top > 0 {
		q.Set("$top", fmt.Sprint(req.Top))
	}
	if req.Expand != "" {
		q.Set("$expand", req.Expand)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// entityURL is the URL of one entity of req's collection.
func (c *Client) entityURL(req Request, id string) string {
	u := *c.root
	u.Path += "/v1.0/security/" + req.Collection + "/" + id
	u.RawPath = c.root.EscapedPath() + "/v1.0/security/" + req.Collection + "/" + url.PathEscape(id)
	if req.Expand != "" {
		u.RawQuery = url.Values{"$expand": {req.Expand}}.Encode()
	}
	return u.String()
}

// sameOrigin reports whether a nextLink points at the configured service,
// so the token is never sent anywhere else.
func (c *Client) sameOrigin(link string) bool {
	u, err := url.Parse(link)
	return err == nil && strings.EqualFold(u.Scheme, c.root.Scheme) && strings.EqualFold(u.Host, c.root.Host)
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// CloseIdleConnections closes the client's idle keep-alive connections,
// for a client that is being replaced.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }
