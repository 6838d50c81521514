package sim

import (
	"net/http"
	"slices"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// audiences are the token audiences each API accepts.
var audiences = map[apiKind][]string{graphAPI: graphResources, mdeAPI: mdeResources}

// authorize checks the bearer token: signature, expiry and a known tenant
// (by Entra), the API's audience, then the permission. It answers 401 or
// 403 itself and reports false on failure. Messages never quote the token.
func (x *exchange) authorize() (*entra.Claims, bool) {
	h := x.r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if h == "" || !strings.EqualFold(scheme, "Bearer") || token == "" {
		x.unauthorized("The request has no bearer access token.")
		return nil, false
	}
	claims, err := x.s.entra.Verify(token)
	if err != nil {
		msg := "The access token is not valid: " + strings.TrimPrefix(err.Error(), "entra: ")
		if strings.Contains(msg, token) {
			msg = "The access token is not valid."
		}
		x.unauthorized(msg)
		return nil, false
	}
	if !slices.Contains(audiences[x.api], strings.TrimSuffix(claims.Audience, "/")) {
		x.unauthorized("The access token's audience is not this API (" + audiences[x.api][0] + ").")
		return nil, false
	}
	if !x.permitted(claims) {
		need := permGraph
		switch {
		case x.perm != "":
			need = x.perm
		case x.api == mdeAPI:
			need = permMDEApp + " (application) or " + permMDEDelegated + " (delegated)"
		}
		x.fail(http.StatusForbidden, codeForbidden, codeForbidden,
			"The caller is not granted the permission this API requires: "+need+".")
		return nil, false
	}
	return claims, true
}

// permitted reports whether the token carries the API's permission as an
// application role or a delegated scope. A security endpoint also takes
// the ReadWrite variant of its permission.
func (x *exchange) permitted(c *entra.Claims) bool {
	if x.perm != "" {
		rw := strings.Replace(x.perm, ".Read.", ".ReadWrite.", 1)
		return slices.ContainsFunc([]string{x.perm, rw}, func(p string) bool {
			return slices.Contains(c.Roles, p) || slices.Contains(c.Scopes, p)
		})
	}
	if x.api == graphAPI {
		return slices.Contains(c.Roles, permGraph) || slices.Contains(c.Scopes, permGraph)
	}
	return slices.Contains(c.Roles, permMDEApp) ||
		slices.Contains(c.Scopes, permMDEDelegated) || slices.Contains(c.Scopes, permMDEApp)
}

func (x *exchange) unauthorized(msg string) {
	x.w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	x.fail(http.StatusUnauthorized, codeInvalidToken, codeUnauthorized, msg)
}
