package hunting

import (
	"net/http"
	"strings"
)

// statusError describes a non-200 response, with the fix where one is
// known. 429 details are added by throttle.
func (c *Client) statusError(kql string, status int, body []byte) *Error {
	code, msg, id := ParseErrorBody(body)
	e := &Error{API: c.cfg.API, Status: status, Code: code, Message: msg, RequestID: id, Query: kql}
	switch {
	case status == http.StatusBadRequest && isResultSize(msg):
		e.kind, e.summary = kindTooLarge, "the result is too large"
		e.hint = "Select fewer columns, add filters on indexed columns or a narrower time range"
	case status == http.StatusBadRequest:
		e.summary = "the query was rejected"
	case status == http.StatusUnauthorized:
		e.summary = "authentication failed even with a fresh token"
		e.hint = "Check the tenant ID, the client credentials and that the token audience is " + c.audience()
	case status == http.StatusForbidden:
		e.summary = "access denied"
		e.hint = c.permissionHint()
	case status == http.StatusTooManyRequests:
		e.summary = "throttled"
	case status >= 500:
		e.summary = "the service failed"
	default:
		e.summary = "unexpected response"
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			e.hint = "Check the endpoint " + c.url
		}
	}
	return e
}

// isResultSize recognises the result-size error of both APIs ("exceeded
// the allowed result size", "Result size limit exceeded").
func isResultSize(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "result size")
}

func (c *Client) audience() string {
	if c.cfg.API == MDE {
		return "the Defender for Endpoint API (scope https://api.securitycenter.microsoft.com/.default)"
	}
	return "Microsoft Graph (scope https://graph.microsoft.com/.default, or the national cloud's Graph host)"
}

func (c *Client) permissionHint() string {
	if c.cfg.ForbiddenHint != "" {
		return c.cfg.ForbiddenHint
	}
	if c.cfg.API == MDE {
		return "Grant the app the WindowsDefenderATP application permission AdvancedQuery.Read.All " +
			"(delegated: AdvancedQuery.Read) and have an administrator grant consent"
	}
	return "Grant the app the Microsoft Graph application permission ThreatHunting.Read.All " +
		"(delegated: ThreatHunting.Read.All) and have an administrator grant consent"
}

// joinHint appends a sentence to a hint.
func joinHint(hint, more string) string {
	if hint == "" {
		return more
	}
	return hint + ". " + more
}
