package graphsec

import (
	"fmt"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/apiclient"
)

// Error is a failed Graph security call. Its text is one line: the
// collection, what failed, the HTTP status, Graph's error code and
// message, the fix when one is known and the URL (which holds no secret).
type Error struct {
	Collection string
	Status     int    // HTTP status; 0 when there was no response
	Code       string // Graph's error code, if any
	Message    string // Graph's error message, or the start of a non-JSON body
	RequestID  string // Graph's request-id, if any
	URL        string // the request URL

	summary string
	hint    string
	err     error
}

// Error renders the one-line description.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.err != nil {
		msg = e.err.Error()
	}
	return apiclient.ErrorLine{Prefix: fmt.Sprintf("defender graph security (%s)", e.Collection), Summary: e.summary,
		Status: e.Status, Code: e.Code, Message: apiclient.OneLine(msg), RequestID: e.RequestID, Hint: e.hint,
		TailLabel: "URL", Tail: e.URL}.String()
}

// Unwrap returns the underlying transport or decode error, if any.
func (e *Error) Unwrap() error { return e.err }

// permissionHint says which permission to grant for a 403.
func permissionHint(perm string) string {
	if perm == "" {
		return "Check the app's Microsoft Graph permissions"
	}
	return "Grant the app the Microsoft Graph permission " + perm +
		" (application or delegated) and have an administrator grant consent"
}
