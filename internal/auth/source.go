package auth

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TokenSource hands out access tokens for one connection. It is safe for
// concurrent use; calls are serialised so parallel queries cause one
// token request, not a burst.
type TokenSource interface {
	// Token returns a valid access token, from MSAL's cache when possible.
	// fresh=true (after an HTTP 401) skips the cached access token and asks
	// the identity endpoint for a new one.
	Token(ctx context.Context, fresh bool) (string, error)
}

// NewTokenSource builds the source for the credential kind c selects. It
// reads certificate files but makes no network call.
func NewTokenSource(c Config) (TokenSource, error) {
	kind, err := c.Kind()
	if err != nil {
		return nil, err
	}
	if c.Scope == "" {
		return nil, fmt.Errorf("no token scope: resolve the cloud's endpoints first")
	}
	switch kind {
	case ManagedIdentity:
		return newManagedSource(c)
	case AzureCLI:
		return newAzureCLISource(c), nil
	case User:
		return newPublicSource(c)
	default:
		return newConfidentialSource(kind, c)
	}
}

// authority returns https://host[:port]/tenant and whether MSAL's instance
// discovery has to be off (the host was configured).
func authority(c Config) (string, bool, error) {
	host := strings.TrimRight(c.AuthorityHost, "/")
	overridden := host != ""
	if !overridden {
		host = loginGlobal
	}
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" || u.RawQuery != "" {
		return "", false, fmt.Errorf("authority host %q must look like https://host[:port] (set authority_host or %s)", c.AuthorityHost, EnvAuthorityHost)
	}
	if c.TenantID == "" || strings.ContainsAny(c.TenantID, "/?#") {
		return "", false, fmt.Errorf("tenant_id %q is not a tenant id or domain", c.TenantID)
	}
	return host + "/" + c.TenantID, overridden, nil
}

// freshClaims is a claims request for a token issued no earlier than now.
// MSAL skips its cached access token whenever claims are given; the claim
// itself, the form Entra uses for its own revocation challenges, is met by
// any newly issued token.
func freshClaims() string {
	return fmt.Sprintf(`{"access_token":{"nbf":{"essential":true,"value":"%d"}}}`, time.Now().Unix())
}
