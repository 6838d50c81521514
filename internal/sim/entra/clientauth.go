package entra

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	assertionTypeJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	assertionLeeway  = time.Minute
)

// authenticateClient checks the client credentials of a token request. It
// reports false without an error when the request carried none.
func (e *Entra) authenticateClient(tr tokenRequest, app *App) (bool, *oauthError) {
	secret := tr.form("client_secret")
	if user, pass, ok := tr.r.BasicAuth(); ok && secret == "" {
		if !strings.EqualFold(user, app.ClientID) {
			return false, newError(http.StatusUnauthorized, "invalid_client", 7000215,
				"The client id in the Authorization header does not match the request.")
		}
		secret = pass
	}
	assertion := tr.form("client_assertion")
	switch {
	case secret != "" && assertion != "":
		return false, newError(http.StatusUnauthorized, "invalid_client", 7000216,
			"Only one client authentication method may be used: client_secret or client_assertion.")
	case secret != "":
		for _, s := range app.Secrets {
			if subtle.ConstantTimeCompare([]byte(s), []byte(secret)) == 1 {
				return true, nil
			}
		}
		return false, newError(http.StatusUnauthorized, "invalid_client", 7000215,
			"Invalid client secret provided. Send the value of the secret, not its id, for app '%s'.", app.ClientID)
	case assertion != "":
		if t := tr.form("client_assertion_type"); t != assertionTypeJWT {
			return false, newError(http.StatusBadRequest, "invalid_request", 50027,
				"client_assertion_type must be %s.", assertionTypeJWT)
		}
		if o := e.checkAssertion(tr, app, assertion); o != nil {
			return false, o
		}
		return true, nil
	}
	return false, nil
}

// checkAssertion accepts a registered federated token, or a JWT signed by
// one of the app's certificates.
func (e *Entra) checkAssertion(tr tokenRequest, app *App, assertion string) *oauthError {
	for _, f := range app.FederatedTokens {
		if subtle.ConstantTimeCompare([]byte(f), []byte(assertion)) == 1 {
			return nil
		}
	}
	cert := e.assertionCert(app, assertion)
	if cert == nil {
		if hasThumbprint(assertion) {
			return badAssertion("The certificate used to sign the client assertion is not registered on application '%s'.", app.ClientID)
		}
		return newError(http.StatusUnauthorized, "invalid_client", 700211,
			"No matching federated identity record found for the presented assertion for application '%s'.", app.ClientID)
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(assertion, &claims, func(*jwt.Token) (any, error) { return cert.PublicKey, nil },
		jwt.WithValidMethods([]string{"PS256", "RS256"}),
		jwt.WithIssuer(app.ClientID),
		jwt.WithSubject(app.ClientID),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(assertionLeeway),
		jwt.WithTimeFunc(e.cfg.Now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired) || errors.Is(err, jwt.ErrTokenNotValidYet):
		return newError(http.StatusUnauthorized, "invalid_client", 700024,
			"Client assertion is not within its valid time range.")
	case err != nil:
		return badAssertion("Client assertion failed validation: %s.", err.Error())
	}
	endpoint := e.base(tr.r) + "/" + tr.r.PathValue("tenant") + "/oauth2/v2.0/token"
	if len(claims.Audience) != 1 || !strings.EqualFold(claims.Audience[0], endpoint) {
		return newError(http.StatusUnauthorized, "invalid_client", 700212,
			"The client assertion audience must be the token endpoint %s.", endpoint)
	}
	if claims.ID == "" || claims.ExpiresAt == nil {
		return badAssertion("Client assertion must contain jti and exp claims.")
	}
	return e.useJTI(app.ClientID+"/"+claims.ID, claims.ExpiresAt.Time)
}

// useJTI rejects a replayed assertion id and remembers it until it expires.
func (e *Entra) useJTI(id string, exp time.Time) *oauthError {
	now := e.cfg.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, t := range e.jtis {
		if now.After(t.Add(assertionLeeway)) {
			delete(e.jtis, k)
		}
	}
	if _, used := e.jtis[id]; used {
		return badAssertion("The client assertion id (jti) has already been used.")
	}
	e.jtis[id] = exp
	return nil
}

func badAssertion(format string, args ...any) *oauthError {
	return newError(http.StatusUnauthorized, "invalid_client", 700027, format, args...)
}

// assertionCert returns the app certificate named by the assertion's
// x5t#S256 (standard or URL base64) or x5t header, or nil.
func (e *Entra) assertionCert(app *App, assertion string) *x509.Certificate {
	tok, _, err := jwt.NewParser().ParseUnverified(assertion, jwt.MapClaims{})
	if err != nil {
		return nil
	}
	s256, _ := tok.Header["x5t#S256"].(string)
	s1, _ := tok.Header["x5t"].(string)
	for _, c := range app.Certificates {
		h256 := sha256.Sum256(c.Raw)
		h1 := sha1.Sum(c.Raw)
		if s256 != "" && matchesB64(s256, h256[:]) || s1 != "" && matchesB64(s1, h1[:]) {
			return c
		}
	}
	return nil
}

// hasThumbprint reports whether an assertion is a JWT naming a certificate.
func hasThumbprint(assertion string) bool {
	tok, _, err := jwt.NewParser().ParseUnverified(assertion, jwt.MapClaims{})
	if err != nil {
		return false
	}
	_, a := tok.Header["x5t#S256"]
	_, b := tok.Header["x5t"]
	return a || b
}

// matchesB64 compares a thumbprint header in any base64 alphabet with sum.
func matchesB64(header string, sum []byte) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if header == enc.EncodeToString(sum) {
			return true
		}
	}
	return false
}
