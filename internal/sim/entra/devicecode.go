package entra

import (
	"fmt"
	"net/http"
	"time"
)

const deviceCodeLifetime = 15 * time.Minute

// deviceGrant is an outstanding device code. The simulator approves it on
// behalf of the tenant's first user after a number of pending polls.
type deviceGrant struct {
	app     *App
	user    *User
	scopes  *scopeRequest
	pending int
	expires time.Time
}

// deviceCodeResponse is the device authorization answer.
type deviceCodeResponse struct {
	UserCode        string `json:"user_code"`
	DeviceCode      string `json:"device_code"`
	VerificationURI string `json:"verification_uri"`
	ExpiresIn       int64  `json:"expires_in"`
	Interval        int    `json:"interval"`
	Message         string `json:"message"`
}

func (e *Entra) serveDeviceCode(w http.ResponseWriter, r *http.Request) {
	call := Call{Endpoint: EndpointDeviceCode, Tenant: r.PathValue("tenant")}
	o := e.deviceCode(w, r, &call)
	if o != nil {
		e.writeError(w, r, o)
	} else {
		call.Status = http.StatusOK
	}
	e.record(call, o)
}

func (e *Entra) deviceCode(w http.ResponseWriter, r *http.Request, call *Call) *oauthError {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return newError(http.StatusBadRequest, "invalid_request", 900144, "The request body could not be parsed as a form.")
	}
	tr := tokenRequest{r: r, tenant: e.tenant(r.PathValue("tenant"))}
	if tr.tenant == "" {
		return unknownTenant(r.PathValue("tenant"))
	}
	call.Tenant, call.ClientID = tr.tenant, tr.form("client_id")
	app, o := e.lookupApp(tr)
	if o != nil {
		return o
	}
	if !app.PublicClient {
		return credentialsRequired()
	}
	sr, o := parseScopes(tr.form("scope"), false)
	if o != nil {
		return o
	}
	if _, o := delegated(app, sr); o != nil {
		return o
	}
	u := e.user(tr.tenant, "")
	if u == nil {
		return newError(http.StatusBadRequest, "invalid_request", 50034,
			"The directory '%s' has no user who could approve the device code.", tr.tenant)
	}
	code, userCode := randomToken(3), randomToken(1)[:9]
	e.mu.Lock()
	e.pruneLocked()
	e.devices[code] = &deviceGrant{app: app, user: u, scopes: sr, pending: max(e.cfg.DeviceCodePolls, 0),
		expires: e.cfg.Now().Add(deviceCodeLifetime)}
	e.mu.Unlock()
	uri := e.base(r) + "/" + r.PathValue("tenant") + "/oauth2/v2.0/devicelogin"
	writeJSON(w, http.StatusOK, deviceCodeResponse{
		UserCode:        userCode,
		DeviceCode:      code,
		VerificationURI: uri,
		ExpiresIn:       int64(deviceCodeLifetime / time.Second),
		Interval:        5,
		Message:         fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", uri, userCode),
	})
	return nil
}

// serveDeviceLogin is the verification page named in device code answers.
func (e *Entra) serveDeviceLogin(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "The Defender simulator approves device codes automatically; nothing to do here.")
}

// deviceCodeGrant serves grant_type=device_code polls.
func (e *Entra) deviceCodeGrant(w http.ResponseWriter, tr tokenRequest) *oauthError {
	code := tr.form("device_code")
	if code == "" {
		return missingParam("device_code")
	}
	app, o := e.lookupApp(tr)
	if o != nil {
		return o
	}
	if o := e.authenticateUserClient(tr, app); o != nil {
		return o
	}
	e.mu.Lock()
	g := e.devices[code]
	switch {
	case g == nil || g.app != app:
		e.mu.Unlock()
		return newError(http.StatusBadRequest, "invalid_grant", 70000,
			"The provided device code is not valid for application '%s'.", app.ClientID)
	case e.cfg.Now().After(g.expires):
		delete(e.devices, code)
		e.mu.Unlock()
		return newError(http.StatusBadRequest, "expired_token", 70020,
			"The provided device code has expired; start the device code flow again.")
	case g.pending > 0:
		g.pending--
		e.mu.Unlock()
		return errPending
	}
	delete(e.devices, code)
	e.mu.Unlock()
	return e.writeUserToken(w, tr.r, app, g.user, g.scopes)
}
