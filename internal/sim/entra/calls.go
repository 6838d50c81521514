package entra

import "time"

// Endpoint names recorded in Call.Endpoint.
const (
	EndpointOpenIDConfig      = "openid-configuration"
	EndpointKeys              = "keys"
	EndpointInstanceDiscovery = "instance-discovery"
	EndpointToken             = "token"
	EndpointDeviceCode        = "devicecode"
	EndpointAuthorize         = "authorize"
	EndpointAppServiceMI      = "msi"
	EndpointIMDS              = "imds"
)

// Call records one request to the simulated Entra ID. It never holds a
// secret, an assertion, a code or a token.
type Call struct {
	Time      time.Time
	Endpoint  string // one of the Endpoint constants
	Tenant    string // the tenant from the path (or the identity's tenant for MI)
	GrantType string // token endpoint grant_type; "" elsewhere
	ClientID  string
	Scope     string // the token request's scope parameter; "" elsewhere
	Status    int    // HTTP status of the answer (authorize: 302 redirect or 200 form_post page)
	Error     string
	ErrorCode int // AADSTS number of an error answer, 0 on success
}

// maxCalls bounds the call log; the oldest entries are dropped first.
const maxCalls = 10000

// record appends c to the call log.
func (e *Entra) record(c Call, o *oauthError) {
	c.Time = e.cfg.Now()
	if o != nil {
		c.Status, c.Error, c.ErrorCode = o.status, o.code, o.aadsts
	}
	e.mu.Lock()
	if len(e.calls) == maxCalls {
		e.calls = append(e.calls[:0], e.calls[maxCalls/10:]...)
	}
	e.calls = append(e.calls, c)
	e.mu.Unlock()
}

// Calls returns a copy of the call log, oldest first (at most the last
// 10,000 calls).
func (e *Entra) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Call(nil), e.calls...)
}
