package hunting

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/apiclient"
)

// API selects which advanced hunting endpoint a Client calls.
type API int

// The supported APIs. Graph is the zero value and the default.
const (
	Graph API = iota // POST {Endpoint}/v1.0/security/runHuntingQuery
	MDE              // POST {Endpoint}/api/advancedqueries/run (legacy)
)

// String names the API for logs and errors.
func (a API) String() string {
	switch a {
	case Graph:
		return "Graph"
	case MDE:
		return "MDE"
	}
	return fmt.Sprintf("API(%d)", int(a))
}

// path is the request path below the endpoint.
func (a API) path() string {
	if a == MDE {
		return "/api/advancedqueries/run"
	}
	return "/v1.0/security/runHuntingQuery"
}

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxThrottleWait = 5 * time.Minute
	DefaultMaxRetries      = 4
	DefaultRequestTimeout  = 3*time.Minute + 30*time.Second
	DefaultRowCap          = 100000
	DefaultMaxConcurrent   = 4
	DefaultFirstPage       = 1000
)

// Config configures a Client. Endpoint and Token are required.
type Config struct {
	API API
	// Endpoint is the base URL: "https://graph.microsoft.com",
	// "https://api.security.microsoft.com" or a simulator's address.
	Endpoint string
	// Token returns a bearer token; fresh=true must bypass any cache (it is
	// asked for after a 401).
	Token func(ctx context.Context, fresh bool) (string, error)
	// HTTPClient sends the requests; nil uses a client with transport
	// timeouts suited to long-running queries.
	HTTPClient *http.Client
	// Logger receives one INFO line per call and every wait and retry.
	Logger hclog.Logger
	// ForbiddenHint replaces the advice given with an HTTP 403, which by
	// default asks to grant the app the API's permission.
	ForbiddenHint string
	// MaxThrottleWait is the longest 429 wait accepted before failing.
	MaxThrottleWait time.Duration
	// MaxRetries bounds consecutive retries of transient failures (5xx,
	// connection errors, broken or malformed responses).
	MaxRetries int
	// RequestTimeout bounds the wait for response headers and any single
	// stall while reading the body.
	RequestTimeout time.Duration
	// RowCap is Defender's per-response row limit.
	RowCap int
	// MaxConcurrent bounds concurrent requests from this client.
	MaxConcurrent int
	// FirstPage is the take of the first request of a run that wants
	// every row of a table with a time column; each full page is followed
	// by one ten times larger, up to RowCap.
	FirstPage int
	// Observe, when set, is told about every query sent, once it is done
	// (see Call), and about every query a dry run would send (see
	// WithDryRun). It must not block.
	Observe func(ctx context.Context, c Call)
}

// Client runs hunting queries. It is safe for concurrent use.
type Client struct {
	cfg      Config
	url      string
	http     *http.Client
	log      hclog.Logger
	sem      chan struct{}
	backoff  time.Duration // first retry delay; doubles per retry
	maxDelay time.Duration // cap on one retry delay
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
}

// New validates cfg, applies defaults and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.API != Graph && cfg.API != MDE {
		return nil, fmt.Errorf("hunting: unknown API %d", int(cfg.API))
	}
	if cfg.Token == nil {
		return nil, errors.New("hunting: Config.Token is required")
	}
	u, err := apiclient.Endpoint("hunting", cfg.Endpoint)
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
	if cfg.RowCap <= 0 {
		cfg.RowCap = DefaultRowCap
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.FirstPage <= 0 {
		cfg.FirstPage = DefaultFirstPage
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient(cfg.MaxConcurrent)
	}
	return &Client{
		cfg:      cfg,
		url:      u.String() + cfg.API.path(),
		http:     hc,
		log:      cfg.Logger,
		sem:      make(chan struct{}, cfg.MaxConcurrent),
		backoff:  time.Second,
		maxDelay: 30 * time.Second,
		now:      time.Now,
		sleep:    sleepCtx,
	}, nil
}

// defaultHTTPClient has connect and handshake timeouts but no overall
// timeout: a query may run for minutes and its body may stream for longer,
// so the client enforces RequestTimeout itself.
func defaultHTTPClient(conns int) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   15 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   conns,
	}}
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
