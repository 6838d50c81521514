package entra

import (
	"net/http"
	"strings"
	"time"
)

// refreshTokenLifetime is how long an unused refresh token stays valid.
const refreshTokenLifetime = 90 * 24 * time.Hour

// rtGrant is an issued refresh token. Refresh tokens are opaque strings,
// valid for any resource, and stay valid after they are redeemed.
type rtGrant struct {
	app     *App
	user    *User
	expires time.Time
	revoked bool
}

// newRefreshToken issues a refresh token for u signed in through app.
func (e *Entra) newRefreshToken(app *App, u *User) string {
	rt := "1.sim." + randomToken(4)
	e.mu.Lock()
	e.pruneLocked()
	e.refresh[rt] = &rtGrant{app: app, user: u, expires: e.cfg.Now().Add(refreshTokenLifetime)}
	e.mu.Unlock()
	return rt
}

// Revoke invalidates one refresh token; redeeming it then fails with
// invalid_grant (AADSTS700082).
func (e *Entra) Revoke(refreshToken string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if g := e.refresh[refreshToken]; g != nil {
		g.revoked = true
	}
}

// RevokeUser invalidates every refresh token issued to the user with the
// given UPN, like revoking the user's sign-in sessions.
func (e *Entra) RevokeUser(upn string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, g := range e.refresh {
		if strings.EqualFold(g.user.UPN, upn) {
			g.revoked = true
		}
	}
}

// refreshGrant serves grant_type=refresh_token.
func (e *Entra) refreshGrant(w http.ResponseWriter, tr tokenRequest) *oauthError {
	rt := tr.form("refresh_token")
	if rt == "" {
		return missingParam("refresh_token")
	}
	app, o := e.lookupApp(tr)
	if o != nil {
		return o
	}
	if o := e.authenticateUserClient(tr, app); o != nil {
		return o
	}
	sr, o := parseScopes(tr.form("scope"), false)
	if o != nil {
		return o
	}
	e.mu.Lock()
	g := e.refresh[rt]
	var user *User
	var expired bool
	if g != nil {
		user, expired = g.user, g.revoked || e.cfg.Now().After(g.expires)
	}
	e.mu.Unlock()
	switch {
	case g == nil:
		return newError(http.StatusBadRequest, "invalid_grant", 9002313,
			"Invalid request. The refresh token is malformed or unknown.")
	case g.app != app:
		return newError(http.StatusBadRequest, "invalid_grant", 70000,
			"The refresh token was issued to a different client.")
	case !strings.EqualFold(user.Tenant, tr.tenant):
		return newError(http.StatusBadRequest, "invalid_grant", 70000,
			"The refresh token was issued in a different tenant.")
	case expired:
		return newError(http.StatusBadRequest, "invalid_grant", 700082,
			"The refresh token has expired or was revoked. The user must sign in again.")
	}
	return e.writeUserToken(w, tr.r, app, user, sr)
}
