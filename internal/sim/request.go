package sim

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// maxRequestBytes bounds a request body.
const maxRequestBytes = 1 << 20

// request is a decoded hunting request.
type request struct {
	query string
	span  window
}

// readRequest checks the content type and decodes the body in the API's
// rules: Graph takes Query and an optional Timespan (property names in
// any case, as the v1.0 and beta documents spell them differently); MDE
// takes a case-sensitive Query and always looks back 30 days. It answers
// 4xx itself and reports false on failure.
func (x *exchange) readRequest(now time.Time) (request, bool) {
	mt, _, err := mime.ParseMediaType(x.r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		x.fail(http.StatusUnsupportedMediaType, codeMediaType, codeMediaType,
			"The request body must be JSON, sent with Content-Type: application/json.")
		return request{}, false
	}
	raw, err := io.ReadAll(http.MaxBytesReader(x.w, x.r.Body, maxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			x.fail(http.StatusRequestEntityTooLarge, codeRequestTooLarge, codeRequestTooLarge,
				"The request body is larger than the simulator accepts.")
		} else {
			x.badBody("The request body could not be read.")
		}
		return request{}, false
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(raw, &props); err != nil || props == nil {
		x.badBody("The request body is not a JSON object.")
		return request{}, false
	}
	if x.api == graphAPI {
		return x.graphRequest(props, now)
	}
	return x.mdeRequest(props, now)
}

func (x *exchange) graphRequest(props map[string]json.RawMessage, now time.Time) (request, bool) {
	var query, span json.RawMessage
	for name, v := range props {
		var slot *json.RawMessage
		switch strings.ToLower(name) {
		case "query":
			slot = &query
		case "timespan":
			slot = &span
		default:
			x.badBody("'" + name + "' is not a parameter of runHuntingQuery; it takes Query and Timespan.")
			return request{}, false
		}
		if *slot != nil {
			x.badBody("The parameter '" + name + "' is given more than once.")
			return request{}, false
		}
		*slot = v
	}
	q, ok := x.stringParam(query, "Query", true)
	if !ok {
		return request{}, false
	}
	ts, ok := x.stringParam(span, "Timespan", false)
	if !ok {
		return request{}, false
	}
	x.call.Query, x.call.Timespan = q, ts
	w, err := parseTimespan(ts, now)
	if err != nil {
		x.badBody("Invalid Timespan: " + err.Error() + ".")
		return request{}, false
	}
	return request{query: q, span: w}, true
}

func (x *exchange) mdeRequest(props map[string]json.RawMessage, now time.Time) (request, bool) {
	raw, found := props["Query"]
	if !found {
		msg := "The required parameter 'Query' is missing."
		for name := range props {
			if strings.EqualFold(name, "Query") {
				msg = "The required parameter 'Query' is missing; parameter names are case-sensitive and '" +
					name + "' is not 'Query'."
			}
		}
		x.fail(http.StatusBadRequest, codeBadRequest, codeMissingParam, msg)
		return request{}, false
	}
	q, ok := x.stringParam(raw, "Query", true)
	if !ok {
		return request{}, false
	}
	x.call.Query = q
	return request{query: q, span: defaultSpan(now)}, true
}

// stringParam decodes a string parameter; null or absent is "" unless the
// parameter is required.
func (x *exchange) stringParam(raw json.RawMessage, name string, required bool) (string, bool) {
	var s *string
	if raw != nil {
		if err := json.Unmarshal(raw, &s); err != nil {
			x.badBody("The parameter '" + name + "' must be a string.")
			return "", false
		}
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		if required {
			x.fail(http.StatusBadRequest, codeBadRequest, codeMissingParam,
				"The required parameter '"+name+"' is missing or empty.")
			return "", false
		}
		return "", true
	}
	return *s, true
}

func (x *exchange) badBody(msg string) {
	x.fail(http.StatusBadRequest, codeBadRequest, codeInvalidBody, msg)
}
