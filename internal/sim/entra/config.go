package entra

import (
	"crypto/x509"
	"net/http"
	"time"
)

// Config describes the simulated directory.
type Config struct {
	// Issuer returns the base URL ("https://127.0.0.1:PORT") used in the
	// discovery document and token issuers; nil derives it from r.Host.
	Issuer func(r *http.Request) string
	// Tenants lists the known tenant ids (GUID strings).
	Tenants []string
	// Apps lists the registered applications and managed identities.
	Apps []App
	// Users lists the users that can sign in through delegated flows.
	Users []User
	// Now is the clock used for issuing and verifying tokens (default time.Now).
	Now func() time.Time
	// TokenTTL is the access-token lifetime (default one hour).
	TokenTTL time.Duration
	// DeviceCodePolls is how many authorization_pending answers a device code
	// gets before it is approved: 0 means the default of 2, a negative value
	// approves on the first poll.
	DeviceCodePolls int
	// IdentityHeader is the X-IDENTITY-HEADER value the App Service managed
	// identity endpoint expects; New generates one when it is empty.
	IdentityHeader string
	// ManagedIdentityClientID selects the system-assigned identity; when empty
	// the first App with ManagedIdentity set plays that part.
	ManagedIdentityClientID string
}

// App is a registered application (or managed identity).
//
// Roles and DelegatedScopes hold permission names. A bare name such as
// "ThreatHunting.Read.All" is granted for every resource; a name qualified
// with a resource, such as "https://graph.microsoft.com/ThreatHunting.Read.All",
// is granted only in tokens for that resource.
type App struct {
	ClientID string
	Tenant   string
	// Secrets are the accepted client secrets.
	Secrets []string
	// Certificates verify client assertions (PS256 or RS256, found by x5t#S256 or x5t).
	Certificates []*x509.Certificate
	// FederatedTokens are accepted workload-identity assertions.
	FederatedTokens []string
	// Roles are the application permissions granted (the roles claim).
	Roles []string
	// DelegatedScopes are the delegated permissions granted to users signing
	// in through this app (the scp claim).
	DelegatedScopes []string
	// PublicClient allows device code and authorization code without a secret.
	PublicClient bool
	// ManagedIdentity lets the managed identity endpoints issue tokens for it.
	ManagedIdentity bool
	// ObjectID is the service principal's object id (the oid claim of app
	// tokens); derived from the tenant and client id when empty.
	ObjectID string
	// ResourceID is the ARM resource id by which a user-assigned managed
	// identity can be selected (mi_res_id / msi_res_id).
	ResourceID string
	// RedirectURIs lists accepted redirect URIs besides loopback http ones,
	// which are always accepted on any port.
	RedirectURIs []string
}

// User is a directory user that can sign in through delegated flows.
type User struct {
	UPN      string
	ObjectID string
	Tenant   string
}
