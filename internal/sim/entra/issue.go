package entra

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// appTokenResponse is the token endpoint's answer for app-only flows.
type appTokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// userTokenResponse is the token endpoint's answer for delegated flows.
type userTokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// baseClaims are the claims every access token carries.
func (e *Entra) baseClaims(issuer, tenant, resource string, app *App) (jwt.MapClaims, time.Time) {
	now := e.cfg.Now()
	exp := now.Add(e.cfg.TokenTTL)
	return jwt.MapClaims{
		"aud":   strings.TrimSuffix(resource, "/"),
		"iss":   issuer + "/" + tenant + "/v2.0",
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   exp.Unix(),
		"tid":   tenant,
		"appid": app.ClientID,
		"azp":   app.ClientID,
		"uti":   uuid.NewString(),
		"ver":   "2.0",
	}, exp
}

// appToken issues an app-only access token carrying the roles granted to
// app for resource.
func (e *Entra) appToken(issuer string, app *App, resource string) (string, time.Time) {
	c, exp := e.baseClaims(issuer, app.Tenant, resource, app)
	oid := objectIDOf(app)
	c["oid"], c["sub"], c["idtyp"] = oid, oid, "app"
	if roles := granted(app.Roles, resource); len(roles) > 0 {
		c["roles"] = roles
	}
	return e.sign(c), exp
}

// userToken issues a delegated access token for u signed in through app.
func (e *Entra) userToken(issuer string, app *App, u *User, resource string, scp []string) string {
	c, _ := e.baseClaims(issuer, u.Tenant, resource, app)
	c["oid"], c["sub"], c["idtyp"] = u.ObjectID, u.ObjectID, "user"
	c["upn"], c["preferred_username"], c["name"] = u.UPN, u.UPN, u.UPN
	c["scp"] = strings.Join(scp, " ")
	return e.sign(c)
}

// idToken issues the OpenID Connect id_token for u and app.
func (e *Entra) idToken(issuer string, app *App, u *User) string {
	now := e.cfg.Now()
	return e.sign(jwt.MapClaims{
		"aud":                app.ClientID,
		"iss":                issuer + "/" + u.Tenant + "/v2.0",
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(time.Hour).Unix(),
		"tid":                u.Tenant,
		"oid":                u.ObjectID,
		"sub":                u.ObjectID,
		"preferred_username": u.UPN,
		"name":               u.UPN,
		"ver":                "2.0",
	})
}

// clientInfo is the unpadded base64url JSON MSAL derives the account id from.
func clientInfo(u *User) string {
	b, _ := json.Marshal(map[string]string{"uid": u.ObjectID, "utid": u.Tenant})
	return base64.RawURLEncoding.EncodeToString(b)
}

// writeAppToken answers an app-only grant.
func (e *Entra) writeAppToken(w http.ResponseWriter, r *http.Request, app *App, sr *scopeRequest) {
	at, _ := e.appToken(e.base(r), app, sr.resource)
	ttl := int64(e.cfg.TokenTTL / time.Second)
	writeJSON(w, http.StatusOK, appTokenResponse{TokenType: "Bearer", ExpiresIn: ttl, ExtExpiresIn: ttl, AccessToken: at})
}

// writeUserToken answers a delegated grant: an access token, an id_token,
// client_info and, when offline_access was requested, a new refresh token.
func (e *Entra) writeUserToken(w http.ResponseWriter, r *http.Request, app *App, u *User, sr *scopeRequest) *oauthError {
	scp, o := delegated(app, sr)
	if o != nil {
		return o
	}
	issuer := e.base(r)
	ttl := int64(e.cfg.TokenTTL / time.Second)
	resp := userTokenResponse{
		TokenType:    "Bearer",
		Scope:        sr.echo(),
		ExpiresIn:    ttl,
		ExtExpiresIn: ttl,
		AccessToken:  e.userToken(issuer, app, u, sr.resource, scp),
		IDToken:      e.idToken(issuer, app, u),
		ClientInfo:   clientInfo(u),
	}
	if sr.oidc["offline_access"] {
		resp.RefreshToken = e.newRefreshToken(app, u)
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
