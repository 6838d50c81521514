package hunting

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/apiclient"
)

// kind marks the errors that Run handles itself rather than returning.
type kind int

const (
	kindFinal    kind = iota // returned to the caller as is
	kindTooLarge             // 400 result size: split the time window
	kindDecode               // the body broke off or is malformed: resume or retry
)

// Error is a failed hunting call. Its text is one line: what failed, the
// HTTP status, Defender's error code and message, the fix when one is known
// and the KQL that was sent. It never holds a token.
type Error struct {
	API       API
	Status    int       // HTTP status; 0 when there was no response
	Code      string    // Defender's error code, if any
	Message   string    // Defender's error message, or the start of a non-JSON body
	RequestID string    // Graph request-id or MDE target (correlation id), if any
	Query     string    // the KQL that was sent
	RetryAt   time.Time // for quota errors: when queries will work again (UTC)

	summary string // what failed
	hint    string // how to fix it
	kind    kind
	err     error // underlying transport or decode error
}

// Error renders the one-line description.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.err != nil {
		msg = e.err.Error()
	}
	return apiclient.ErrorLine{Prefix: fmt.Sprintf("defender advanced hunting (%s)", e.API), Summary: e.summary,
		Status: e.Status, Code: e.Code, Message: apiclient.Clip(apiclient.OneLine(msg), 500), RequestID: e.RequestID, Hint: e.hint,
		TailLabel: "Query", Tail: apiclient.Clip(apiclient.OneLine(e.Query), 2000)}.String()
}

// Unwrap returns the underlying transport or decode error, if any.
func (e *Error) Unwrap() error { return e.err }

// envelope is the error body of both APIs: Graph puts a request-id in
// innerError, MDE a correlation id in target. Field matching is
// case-insensitive.
type envelope struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		Target     string `json:"target"`
		InnerError struct {
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// ParseErrorBody extracts code, message and request id from an error
// body. Bodies that are not the JSON envelope (HTML from a gateway, plain
// text) give their text, tags removed, as the message.
func ParseErrorBody(body []byte) (code, message, requestID string) {
	var env envelope
	if json.Unmarshal(body, &env) == nil && (env.Error.Code != "" || env.Error.Message != "") {
		id := env.Error.InnerError.RequestID
		if id == "" {
			id = env.Error.Target
		}
		return env.Error.Code, env.Error.Message, id
	}
	return "", apiclient.Clip(apiclient.OneLine(stripTags(string(body))), 300), ""
}

// stripTags drops anything between < and > from a body that looks like
// markup, enough to make an HTML error page readable in one line.
func stripTags(s string) string {
	if !strings.HasPrefix(strings.TrimSpace(s), "<") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
			b.WriteByte(' ')
		case r == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
