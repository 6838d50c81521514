package sim

import (
	"encoding/json"
	"strconv"
)

// Error codes used in the two APIs' error envelopes.
const (
	codeBadRequest      = "BadRequest"
	codeUnauthorized    = "Unauthorized"
	codeInvalidToken    = "InvalidAuthenticationToken"
	codeForbidden       = "Forbidden"
	codeNotFound        = "NotFound"
	codeMethod          = "MethodNotAllowed"
	codeMediaType       = "UnsupportedMediaType"
	codeTooMany         = "TooManyRequests"
	codeUnknown         = "UnknownError"
	codeInternal        = "InternalServerError"
	codeInvalidBody     = "InvalidRequestBody"
	codeMissingParam    = "MissingRequiredParameter"
	codeRequestTooLarge = "RequestEntityTooLarge"
)

// graphError is Microsoft Graph's error envelope.
type graphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// mdeError is the Defender for Endpoint API's error envelope; target
// carries the request's correlation id.
type mdeError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Target  string `json:"target"`
	} `json:"error"`
}

// fail answers with an error envelope in the API's shape. The Graph code
// is used for Graph; mdeCode for MDE.
func (x *exchange) fail(status int, graphCode, mdeCode, message string) {
	var body any
	if x.api == graphAPI {
		var e graphError
		e.Error.Code = graphCode
		e.Error.Message = message
		e.Error.InnerError.Date = x.s.cfg.Now().UTC().Format("2006-01-02T15:04:05")
		e.Error.InnerError.RequestID = x.requestID
		e.Error.InnerError.ClientRequestID = x.clientRequestID
		body = e
	} else {
		var e mdeError
		e.Error.Code = mdeCode
		e.Error.Message = message
		e.Error.Target = x.requestID
		body = e
	}
	raw, err := json.Marshal(body)
	if err != nil {
		raw = []byte(`{"error":{"code":"` + codeInternal + `","message":""}}`)
	}
	x.write(status, "application/json; charset=utf-8", raw)
}

// write logs the call and sends a complete response.
func (x *exchange) write(status int, contentType string, body []byte) {
	h := x.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	x.record(status, len(body))
	x.w.WriteHeader(status)
	x.w.Write(body)
}
