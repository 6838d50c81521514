package sim

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// exchange is one hunting request and its answer.
type exchange struct {
	s               *Server
	w               http.ResponseWriter
	r               *http.Request
	api             apiKind
	perm            string // the permission the endpoint needs; "" for the hunting APIs
	call            Call
	started         time.Time
	logged          bool
	requestID       string
	clientRequestID string
}

func (s *Server) newExchange(w http.ResponseWriter, r *http.Request, api apiKind) *exchange {
	x := &exchange{s: s, w: w, r: r, api: api, started: time.Now(), requestID: uuid.NewString()}
	x.clientRequestID = r.Header.Get("client-request-id")
	if x.clientRequestID == "" {
		x.clientRequestID = x.requestID
	}
	h := w.Header()
	h.Set("request-id", x.requestID)
	h.Set("client-request-id", x.clientRequestID)
	x.call = Call{Time: s.cfg.Now(), API: api.String(), Path: r.URL.Path}
	return x
}

// hunt serves one call to runHuntingQuery or advancedqueries/run: latency,
// injected failures, authentication, quotas, the request body, the query
// and the answer, in that order, and logs the call.
func (s *Server) hunt(w http.ResponseWriter, r *http.Request, api apiKind) {
	x := s.newExchange(w, r, api)
	defer x.record(0, 0) // logs calls that got no answer

	if !x.delay(s.faults.currentLatency()) {
		return
	}
	if st := s.faults.takeFailure(); st != 0 {
		x.call.Fault = "fail"
		x.fail(st, codeUnknown, codeInternal, "")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		x.fail(http.StatusMethodNotAllowed, codeMethod, codeMethod, "Use POST to run a hunting query.")
		return
	}
	claims, ok := x.authorize()
	if !ok {
		return
	}
	x.call.ClientID, x.call.Tenant = claims.ClientID, claims.Tenant
	now := s.cfg.Now()
	if q, wait := s.faults.admit(claims.Tenant, now); q != noQuota {
		x.throttle(q, wait, now)
		return
	}
	req, ok := x.readRequest(now)
	if !ok {
		return
	}
	res, elapsed, ok := x.run(req, now)
	if !ok {
		return
	}
	x.respond(res, elapsed)
}

// record puts the call in the log, once, with the status and body size
// of its answer. Answers call it before their body goes out, so a client
// that has read an answer finds its call logged.
func (x *exchange) record(status, bytes int) {
	if x.logged {
		return
	}
	x.logged = true
	x.call.Status, x.call.Bytes = status, int64(bytes)
	x.call.Duration = time.Since(x.started)
	x.s.calls.add(x.call)
}

// delay waits d, or until the client gives up (then it reports false).
func (x *exchange) delay(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-x.r.Context().Done():
		return false
	}
}

// throttle answers 429 for the quota that refused the call, with
// Retry-After in whole seconds (at least 1).
func (x *exchange) throttle(q quota, wait time.Duration, now time.Time) {
	secs := max(int64((wait+time.Second-1)/time.Second), 1)
	reset := now.Add(time.Duration(secs) * time.Second).UTC().Format(time.RFC3339)
	var msg string
	if q == cpuQuota {
		msg = fmt.Sprintf("CPU quota reached: this tenant has used all the advanced hunting CPU time allocated to it. "+
			"Queries are blocked until the next 15-minute cycle, in %d seconds (at %s).", secs, reset)
	} else {
		msg = fmt.Sprintf("Request rate quota reached: this tenant already made the %d advanced hunting calls it may make "+
			"in one minute. Retry in %d seconds (at %s).", x.s.faults.rateLimitValue(), secs, reset)
	}
	x.w.Header().Set("Retry-After", fmt.Sprint(secs))
	x.fail(http.StatusTooManyRequests, codeTooMany, codeTooMany, msg)
}

// run evaluates the query over the data set restricted to the request's
// time window, with now() fixed for the whole query.
func (x *exchange) run(req request, now time.Time) (*engine.Result, time.Duration, bool) {
	started := time.Now()
	res, err := evaluate(req.query, windowCatalog{base: x.s.data, span: req.span}, func() time.Time { return now })
	elapsed := time.Since(started)
	if err != nil {
		var qe *engine.Error
		if errors.As(err, &qe) {
			x.fail(http.StatusBadRequest, codeBadRequest, codeBadRequest, qe.Message)
		} else {
			x.fail(http.StatusInternalServerError, codeUnknown, codeInternal,
				"Something went wrong while the query ran; try again in a few minutes.")
		}
		return nil, elapsed, false
	}
	return res, elapsed, true
}

// evaluate runs the engine and turns a panic into an error, so one bad
// query cannot take the tenant down.
func evaluate(src string, cat engine.Catalog, clock engine.Clock) (res *engine.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("engine panic: %v", p)
		}
	}()
	return engine.Run(src, cat, clock)
}
