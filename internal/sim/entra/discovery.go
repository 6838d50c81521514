package entra

import (
	"net/http"
)

// openIDConfiguration is the subset of the discovery document clients use.
type openIDConfiguration struct {
	Issuer                           string   `json:"issuer"`
	AuthorizationEndpoint            string   `json:"authorization_endpoint"`
	TokenEndpoint                    string   `json:"token_endpoint"`
	DeviceAuthorizationEndpoint      string   `json:"device_authorization_endpoint"`
	JWKSURI                          string   `json:"jwks_uri"`
	ResponseTypesSupported           []string `json:"response_types_supported"`
	SubjectTypesSupported            []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethods         []string `json:"token_endpoint_auth_methods_supported"`
	ScopesSupported                  []string `json:"scopes_supported"`
	TenantRegionScope                *string  `json:"tenant_region_scope"`
	CloudInstanceName                string   `json:"cloud_instance_name"`
}

func (e *Entra) serveOpenIDConfiguration(w http.ResponseWriter, r *http.Request) {
	t := e.tenant(r.PathValue("tenant"))
	if t == "" {
		o := unknownTenant(r.PathValue("tenant"))
		o.code = "invalid_tenant"
		e.record(Call{Endpoint: EndpointOpenIDConfig, Tenant: r.PathValue("tenant")}, o)
		e.writeError(w, r, o)
		return
	}
	base := e.base(r)
	root := base + "/" + r.PathValue("tenant")
	writeJSON(w, http.StatusOK, openIDConfiguration{
		Issuer:                           root + "/v2.0",
		AuthorizationEndpoint:            root + "/oauth2/v2.0/authorize",
		TokenEndpoint:                    root + "/oauth2/v2.0/token",
		DeviceAuthorizationEndpoint:      root + "/oauth2/v2.0/devicecode",
		JWKSURI:                          root + "/discovery/v2.0/keys",
		ResponseTypesSupported:           []string{"code", "id_token", "code id_token", "id_token token"},
		SubjectTypesSupported:            []string{"pairwise"},
		IDTokenSigningAlgValuesSupported: []string{"RS256"},
		TokenEndpointAuthMethods:         []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		ScopesSupported:                  []string{"openid", "profile", "email", "offline_access"},
		CloudInstanceName:                r.Host,
	})
	e.record(Call{Endpoint: EndpointOpenIDConfig, Tenant: t, Status: http.StatusOK}, nil)
}

func (e *Entra) serveKeys(w http.ResponseWriter, r *http.Request) {
	t := e.tenant(r.PathValue("tenant"))
	if t == "" {
		o := unknownTenant(r.PathValue("tenant"))
		o.code = "invalid_tenant"
		e.record(Call{Endpoint: EndpointKeys, Tenant: r.PathValue("tenant")}, o)
		e.writeError(w, r, o)
		return
	}
	writeJSON(w, http.StatusOK, e.jwks())
	e.record(Call{Endpoint: EndpointKeys, Tenant: t, Status: http.StatusOK}, nil)
}

// serveInstanceDiscovery answers MSAL's instance discovery with an error and
// records the hit: a client configured for the simulator must disable
// instance discovery, so tests count these calls as failures.
func (e *Entra) serveInstanceDiscovery(w http.ResponseWriter, r *http.Request) {
	o := newError(http.StatusBadRequest, "invalid_instance", 50049,
		"Instance discovery is not supported by the simulator; disable it in the client.")
	e.record(Call{Endpoint: EndpointInstanceDiscovery, Tenant: r.PathValue("tenant")}, o)
	e.writeError(w, r, o)
}

// unknownTenant is Entra's answer for a tenant it does not know.
func unknownTenant(t string) *oauthError {
	return newError(http.StatusBadRequest, "invalid_request", 90002,
		"Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", t)
}
