package entra

import (
	"net/http"
	"slices"
	"strings"
)

// oidcScopes are the OpenID Connect scopes MSAL appends to every request.
var oidcScopes = map[string]bool{"openid": true, "profile": true, "offline_access": true, "email": true}

// scopeRequest is a parsed scope parameter.
type scopeRequest struct {
	resource   string   // the single resource the token is for, without a trailing slash
	requested  []string // the resource scopes as sent (echoed in user-token responses)
	permission []string // permission names of explicit scopes; empty for .default
	isDefault  bool     // the request used <resource>/.default
	oidc       map[string]bool
}

// parseScopes splits a scope parameter into its resource and OIDC parts.
// appFlow requires the <resource>/.default form.
func parseScopes(raw string, appFlow bool) (*scopeRequest, *oauthError) {
	if strings.TrimSpace(raw) == "" {
		return nil, missingParam("scope")
	}
	sr := &scopeRequest{oidc: map[string]bool{}}
	for _, s := range strings.Fields(raw) {
		if oidcScopes[strings.ToLower(s)] {
			sr.oidc[strings.ToLower(s)] = true
			continue
		}
		i := strings.LastIndex(s, "/")
		if i <= 0 || i == len(s)-1 {
			return nil, newError(http.StatusBadRequest, "invalid_scope", 70011,
				"The provided value for the input parameter 'scope' is not valid. The scope %s does not name a resource.", s)
		}
		res, perm := strings.TrimSuffix(s[:i], "/"), s[i+1:]
		if appFlow && perm != ".default" {
			return nil, newError(http.StatusBadRequest, "invalid_scope", 1002012,
				"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", s)
		}
		if sr.resource != "" && !strings.EqualFold(sr.resource, res) {
			return nil, newError(http.StatusBadRequest, "invalid_scope", 28000,
				"Provided value for the input parameter scope is not valid because it contains more than one resource.")
		}
		sr.resource = res
		sr.requested = append(sr.requested, s)
		if perm == ".default" {
			sr.isDefault = true
		} else {
			sr.permission = append(sr.permission, perm)
		}
	}
	if sr.resource == "" {
		if appFlow {
			return nil, newError(http.StatusBadRequest, "invalid_scope", 1002012,
				"The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", raw)
		}
		return nil, newError(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided value for the input parameter 'scope' is not valid. No resource scope was requested.")
	}
	if sr.isDefault && len(sr.permission) > 0 {
		return nil, newError(http.StatusBadRequest, "invalid_scope", 70011,
			"The provided value for the input parameter 'scope' is not valid. The .default scope cannot be combined with other scopes of the same resource.")
	}
	return sr, nil
}

// granted returns the permissions of list that apply to resource: bare
// names, and names qualified with that resource.
func granted(list []string, resource string) []string {
	var out []string
	for _, p := range list {
		name := p
		if i := strings.LastIndex(p, "/"); i > 0 {
			if !strings.EqualFold(strings.TrimSuffix(p[:i], "/"), resource) {
				continue
			}
			name = p[i+1:]
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// delegated returns the scp values a user signing in through app gets for
// sr, or consent_required when an explicit scope was never granted.
func delegated(app *App, sr *scopeRequest) ([]string, *oauthError) {
	have := granted(app.DelegatedScopes, sr.resource)
	if sr.isDefault {
		return have, nil
	}
	for _, p := range sr.permission {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, p) }) {
			o := newError(http.StatusBadRequest, "invalid_grant", 65001,
				"The user or administrator has not consented to use the application with ID '%s'. Send an interactive authorization request for this user and resource.", app.ClientID)
			o.sub = "consent_required"
			return nil, o
		}
	}
	return sr.permission, nil
}

// echo returns the scope string of a user-token response: the requested
// resource scopes followed by the requested OIDC scopes.
func (sr *scopeRequest) echo() string {
	out := slices.Clone(sr.requested)
	for _, s := range []string{"openid", "profile", "email", "offline_access"} {
		if sr.oidc[s] {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}
