package entra

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/google/uuid"
)

// oauthError is an Entra error answer: an OAuth error code, the AADSTS
// number and a description that never contains a secret or a token.
type oauthError struct {
	status int
	code   string // OAuth "error", e.g. invalid_client
	aadsts int
	desc   string
	sub    string // optional suberror, e.g. consent_required
}

func newError(status int, code string, aadsts int, format string, args ...any) *oauthError {
	return &oauthError{status: status, code: code, aadsts: aadsts, desc: fmt.Sprintf(format, args...)}
}

func (o *oauthError) Error() string {
	return fmt.Sprintf("%s: AADSTS%d: %s", o.code, o.aadsts, o.desc)
}

// Error answers used in more than one place.
var (
	errPending = newError(http.StatusBadRequest, "authorization_pending", 70016,
		"The user has not yet completed the device code sign-in.")
)

func missingParam(name string) *oauthError {
	return newError(http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '%s'.", name)
}

// errorBody is Entra's JSON error shape.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	SubError         string `json:"suberror,omitempty"`
}

// writeError sends o in Entra's JSON error shape. The correlation id is the
// client's client-request-id when it sent one.
func (e *Entra) writeError(w http.ResponseWriter, r *http.Request, o *oauthError) {
	ts := e.cfg.Now().UTC().Format("2006-01-02 15:04:05Z")
	trace := uuid.NewString()
	corr := correlationID(r)
	body := errorBody{
		Error: o.code,
		ErrorDescription: fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
			o.aadsts, o.desc, trace, corr, ts),
		ErrorCodes:    []int{o.aadsts},
		Timestamp:     ts,
		TraceID:       trace,
		CorrelationID: corr,
		SubError:      o.sub,
	}
	writeJSON(w, o.status, body)
}

// correlationID returns the request's client-request-id if it is a uuid,
// otherwise a new one.
func correlationID(r *http.Request) string {
	if id, err := uuid.Parse(r.Header.Get("client-request-id")); err == nil {
		return id.String()
	}
	return uuid.NewString()
}

// writeJSON sends v with the given status and no caching.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
