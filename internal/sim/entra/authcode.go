package entra

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

const authCodeLifetime = 10 * time.Minute

// codeGrant is an issued authorization code, redeemable once.
type codeGrant struct {
	app         *App
	user        *User
	scopes      *scopeRequest
	redirectURI string
	challenge   string
	expires     time.Time
}

// serveAuthorize signs in the login_hint user (or the tenant's first user)
// without any page and sends the code back: by a 302 redirect with the code
// in the query, or with response_mode=form_post (what MSAL Go requests) by a
// page that posts it. Problems with the client or the redirect URI are shown
// as an error answer, since sending anything to an unverified URI would be
// unsafe; all other errors go back to the client the same way as a code.
func (e *Entra) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	call := Call{Endpoint: EndpointAuthorize, Tenant: r.PathValue("tenant"), ClientID: q.Get("client_id")}
	tenant := e.tenant(r.PathValue("tenant"))
	if tenant == "" {
		o := unknownTenant(r.PathValue("tenant"))
		e.record(call, o)
		e.writeError(w, r, o)
		return
	}
	call.Tenant = tenant
	app, o := e.appInTenant(q.Get("client_id"), tenant)
	if o == nil && !redirectAllowed(app, q.Get("redirect_uri")) {
		o = newError(http.StatusBadRequest, "invalid_request", 50011,
			"The redirect URI specified in the request does not match the redirect URIs configured for application '%s'.", app.ClientID)
	}
	if o != nil {
		e.record(call, o)
		e.writeError(w, r, o)
		return
	}
	code, o := e.authorize(q, app, tenant)
	fields := url.Values{}
	if o != nil {
		fields.Set("error", o.code)
		fields.Set("error_description", "AADSTS"+strconv.Itoa(o.aadsts)+": "+o.desc)
		call.Error, call.ErrorCode = o.code, o.aadsts
	} else {
		fields.Set("code", code)
	}
	if s := q.Get("state"); s != "" {
		fields.Set("state", s)
	}
	if q.Get("response_mode") == "form_post" {
		writeFormPost(w, q.Get("redirect_uri"), fields)
		call.Status = http.StatusOK
	} else {
		back, _ := url.Parse(q.Get("redirect_uri"))
		bq := back.Query()
		for k := range fields {
			bq.Set(k, fields.Get(k))
		}
		back.RawQuery = bq.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
		call.Status = http.StatusFound
	}
	e.record(call, nil)
}

// authorize validates an authorization request and issues a code.
func (e *Entra) authorize(q url.Values, app *App, tenant string) (string, *oauthError) {
	if m := q.Get("response_mode"); m != "" && m != "query" && m != "form_post" {
		return "", newError(http.StatusBadRequest, "invalid_request", 900144,
			"The simulator supports response_mode query and form_post, not %s.", m)
	}
	if q.Get("response_type") != "code" {
		return "", newError(http.StatusBadRequest, "unsupported_response_type", 70005,
			"The simulator supports only response_type=code.")
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" {
		return "", newError(http.StatusBadRequest, "invalid_request", 50148,
			"A code_challenge with code_challenge_method=S256 is required.")
	}
	sr, o := parseScopes(q.Get("scope"), false)
	if o != nil {
		return "", o
	}
	if _, o := delegated(app, sr); o != nil {
		return "", o
	}
	u := e.user(tenant, q.Get("login_hint"))
	if u == nil {
		return "", newError(http.StatusBadRequest, "invalid_request", 50034,
			"The user account %s does not exist in the '%s' directory.", q.Get("login_hint"), tenant)
	}
	code := randomToken(3)
	e.mu.Lock()
	e.pruneLocked()
	e.codes[code] = &codeGrant{app: app, user: u, scopes: sr, redirectURI: q.Get("redirect_uri"),
		challenge: q.Get("code_challenge"), expires: e.cfg.Now().Add(authCodeLifetime)}
	e.mu.Unlock()
	return code, nil
}

// authCodeGrant serves grant_type=authorization_code. A code is consumed by
// its first redemption attempt, successful or not.
func (e *Entra) authCodeGrant(w http.ResponseWriter, tr tokenRequest) *oauthError {
	code := tr.form("code")
	if code == "" {
		return missingParam("code")
	}
	app, o := e.lookupApp(tr)
	if o != nil {
		return o
	}
	if o := e.authenticateUserClient(tr, app); o != nil {
		return o
	}
	e.mu.Lock()
	g := e.codes[code]
	delete(e.codes, code)
	e.mu.Unlock()
	if g == nil || g.app != app || e.cfg.Now().After(g.expires) {
		return newError(http.StatusBadRequest, "invalid_grant", 70008,
			"The provided authorization code is expired, already redeemed or was issued to another client.")
	}
	if tr.form("redirect_uri") != g.redirectURI {
		return newError(http.StatusBadRequest, "invalid_grant", 70000,
			"The redirect_uri does not match the one used in the authorization request.")
	}
	verifier := tr.form("code_verifier")
	sum := sha256.Sum256([]byte(verifier))
	if verifier == "" || subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(g.challenge)) != 1 {
		return newError(http.StatusBadRequest, "invalid_grant", 501481,
			"The code_verifier does not match the code_challenge supplied in the authorization request.")
	}
	return e.writeUserToken(w, tr.r, app, g.user, g.scopes)
}

// redirectAllowed accepts loopback http redirect URIs on any port, and the
// app's registered ones.
func redirectAllowed(app *App, uri string) bool {
	if uri == "" {
		return false
	}
	if slices.Contains(app.RedirectURIs, uri) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return false
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}
