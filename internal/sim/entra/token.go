package entra

import (
	"net/http"
	"strings"
)

// grantDeviceCodeURN is the RFC 8628 spelling of the device code grant;
// MSAL sends the short form "device_code".
const grantDeviceCodeURN = "urn:ietf:params:oauth:grant-type:device_code"

// maxFormBytes bounds a token request body.
const maxFormBytes = 64 << 10

// tokenRequest carries what every grant handler needs.
type tokenRequest struct {
	r      *http.Request
	tenant string // configured spelling of the path tenant
}

func (tr tokenRequest) form(k string) string { return tr.r.PostForm.Get(k) }

func (e *Entra) serveToken(w http.ResponseWriter, r *http.Request) {
	call := Call{Endpoint: EndpointToken, Tenant: r.PathValue("tenant")}
	o := e.token(w, r, &call)
	if o != nil {
		e.writeError(w, r, o)
	} else {
		call.Status = http.StatusOK
	}
	e.record(call, o)
}

// token dispatches on grant_type. On success the handler has written the
// answer and token returns nil.
func (e *Entra) token(w http.ResponseWriter, r *http.Request, call *Call) *oauthError {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return newError(http.StatusBadRequest, "invalid_request", 900144, "The request body could not be parsed as a form.")
	}
	call.GrantType = r.PostForm.Get("grant_type")
	call.ClientID = r.PostForm.Get("client_id")
	call.Scope = r.PostForm.Get("scope")
	tr := tokenRequest{r: r, tenant: e.tenant(r.PathValue("tenant"))}
	if tr.tenant == "" {
		return unknownTenant(r.PathValue("tenant"))
	}
	call.Tenant = tr.tenant
	switch call.GrantType {
	case "":
		return missingParam("grant_type")
	case "client_credentials":
		return e.clientCredentials(w, tr)
	case "device_code", grantDeviceCodeURN:
		return e.deviceCodeGrant(w, tr)
	case "authorization_code":
		return e.authCodeGrant(w, tr)
	case "refresh_token":
		return e.refreshGrant(w, tr)
	default:
		return newError(http.StatusBadRequest, "unsupported_grant_type", 70003,
			"The app requested an unsupported grant type '%s'.", call.GrantType)
	}
}

// clientCredentials serves grant_type=client_credentials.
func (e *Entra) clientCredentials(w http.ResponseWriter, tr tokenRequest) *oauthError {
	app, o := e.lookupApp(tr)
	if o != nil {
		return o
	}
	sr, o := parseScopes(tr.form("scope"), true)
	if o != nil {
		return o
	}
	authed, o := e.authenticateClient(tr, app)
	if o != nil {
		return o
	}
	if !authed {
		return credentialsRequired()
	}
	e.writeAppToken(w, tr.r, app, sr)
	return nil
}

// lookupApp finds the client_id of the request in the path tenant.
func (e *Entra) lookupApp(tr tokenRequest) (*App, *oauthError) {
	id := tr.form("client_id")
	if id == "" {
		return nil, missingParam("client_id")
	}
	return e.appInTenant(id, tr.tenant)
}

// appInTenant returns the app registered in tenant under clientID.
func (e *Entra) appInTenant(clientID, tenant string) (*App, *oauthError) {
	app := e.app(clientID)
	if app == nil || !strings.EqualFold(app.Tenant, tenant) {
		return nil, newError(http.StatusBadRequest, "unauthorized_client", 700016,
			"Application with identifier '%s' was not found in the directory '%s'.", clientID, tenant)
	}
	return app, nil
}

func credentialsRequired() *oauthError {
	return newError(http.StatusUnauthorized, "invalid_client", 7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
}

// authenticateUserClient authenticates the client of a delegated grant: a
// confidential client must prove itself, a public client may send nothing.
func (e *Entra) authenticateUserClient(tr tokenRequest, app *App) *oauthError {
	authed, o := e.authenticateClient(tr, app)
	if o != nil {
		return o
	}
	if !authed && !app.PublicClient {
		return credentialsRequired()
	}
	return nil
}
