package entra

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// API versions the managed identity endpoints accept.
var (
	appServiceVersions = []string{"2019-08-01"}
	imdsVersions       = []string{"2018-02-01", "2019-08-01"}
)

// miToken is the managed identity answer; IMDS adds the expires_in family.
type miToken struct {
	AccessToken  string `json:"access_token"`
	ExpiresOn    string `json:"expires_on"`
	ExpiresIn    string `json:"expires_in,omitempty"`
	ExtExpiresIn string `json:"ext_expires_in,omitempty"`
	NotBefore    string `json:"not_before,omitempty"`
	Resource     string `json:"resource"`
	TokenType    string `json:"token_type"`
	ClientID     string `json:"client_id"`
}

// miError is a managed identity failure with its HTTP status.
type miError struct {
	status int
	msg    string
}

// serveAppServiceMI is the App Service identity endpoint (IDENTITY_ENDPOINT).
func (e *Entra) serveAppServiceMI(w http.ResponseWriter, r *http.Request) {
	call := Call{Endpoint: EndpointAppServiceMI}
	var app *App
	fail := e.checkAppServiceRequest(r)
	if fail == nil {
		app, fail = e.managedIdentity(r.URL.Query(), "mi_res_id")
	}
	if fail != nil {
		call.Status, call.Error = fail.status, fail.msg
		e.record(call, nil)
		writeJSON(w, fail.status, map[string]any{"statusCode": fail.status, "message": fail.msg, "correlationId": uuid.NewString()})
		return
	}
	resource := r.URL.Query().Get("resource")
	at, exp := e.appToken(e.base(r), app, resource)
	writeJSON(w, http.StatusOK, miToken{
		AccessToken: at,
		ExpiresOn:   strconv.FormatInt(exp.Unix(), 10),
		Resource:    resource,
		TokenType:   "Bearer",
		ClientID:    app.ClientID,
	})
	call.Tenant, call.ClientID, call.Status = app.Tenant, app.ClientID, http.StatusOK
	e.record(call, nil)
}

func (e *Entra) checkAppServiceRequest(r *http.Request) *miError {
	if h := r.Header.Get("X-IDENTITY-HEADER"); subtle.ConstantTimeCompare([]byte(h), []byte(e.idHdr)) != 1 {
		return &miError{http.StatusUnauthorized, "The X-IDENTITY-HEADER header is missing or wrong."}
	}
	q := r.URL.Query()
	if !slices.Contains(appServiceVersions, q.Get("api-version")) {
		return &miError{http.StatusBadRequest, "Unsupported or missing api-version; use 2019-08-01."}
	}
	if q.Get("resource") == "" {
		return &miError{http.StatusBadRequest, "The resource parameter is required."}
	}
	return nil
}

// serveIMDS is the Azure Instance Metadata Service token endpoint.
func (e *Entra) serveIMDS(w http.ResponseWriter, r *http.Request) {
	call := Call{Endpoint: EndpointIMDS}
	var app *App
	fail := checkIMDSRequest(r)
	if fail == nil {
		app, fail = e.managedIdentity(r.URL.Query(), "msi_res_id")
	}
	if fail != nil {
		call.Status, call.Error = fail.status, fail.msg
		e.record(call, nil)
		writeJSON(w, fail.status, map[string]string{"error": "invalid_request", "error_description": fail.msg})
		return
	}
	resource := r.URL.Query().Get("resource")
	at, exp := e.appToken(e.base(r), app, resource)
	ttl := strconv.FormatInt(int64(e.cfg.TokenTTL/time.Second), 10)
	writeJSON(w, http.StatusOK, miToken{
		AccessToken:  at,
		ExpiresOn:    strconv.FormatInt(exp.Unix(), 10),
		ExpiresIn:    ttl,
		ExtExpiresIn: ttl,
		NotBefore:    strconv.FormatInt(e.cfg.Now().Unix(), 10),
		Resource:     resource,
		TokenType:    "Bearer",
		ClientID:     app.ClientID,
	})
	call.Tenant, call.ClientID, call.Status = app.Tenant, app.ClientID, http.StatusOK
	e.record(call, nil)
}

func checkIMDSRequest(r *http.Request) *miError {
	if !strings.EqualFold(r.Header.Get("Metadata"), "true") {
		return &miError{http.StatusBadRequest, "Required metadata header not specified"}
	}
	q := r.URL.Query()
	if !slices.Contains(imdsVersions, q.Get("api-version")) {
		return &miError{http.StatusBadRequest, "Missing or unsupported api-version"}
	}
	if q.Get("resource") == "" {
		return &miError{http.StatusBadRequest, "Required query variable 'resource' is missing"}
	}
	return nil
}

// managedIdentity selects the identity named by client_id, object_id or the
// resource-id parameter (resParam), or the system-assigned one.
func (e *Entra) managedIdentity(q url.Values, resParam string) (*App, *miError) {
	clientID, objectID, resID := q.Get("client_id"), q.Get("object_id"), q.Get(resParam)
	n := 0
	for _, v := range []string{clientID, objectID, resID} {
		if v != "" {
			n++
		}
	}
	if n > 1 {
		return nil, &miError{http.StatusBadRequest, "Only one of client_id, object_id and " + resParam + " may be given."}
	}
	match := func(a *App) bool {
		switch {
		case clientID != "":
			return strings.EqualFold(a.ClientID, clientID)
		case objectID != "":
			return strings.EqualFold(objectIDOf(a), objectID)
		case resID != "":
			return a.ResourceID != "" && strings.EqualFold(a.ResourceID, resID)
		default:
			return strings.EqualFold(a.ClientID, e.systemMI)
		}
	}
	for i := range e.cfg.Apps {
		if a := &e.cfg.Apps[i]; a.ManagedIdentity && match(a) {
			return a, nil
		}
	}
	if n == 0 {
		return nil, &miError{http.StatusBadRequest, "No system-assigned managed identity is enabled."}
	}
	return nil, &miError{http.StatusBadRequest, "Unable to load the requested managed identity."}
}
