package entra

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims is what Verify reports about a valid token.
type Claims struct {
	Tenant   string
	ClientID string // appid / azp: the application the token was issued to
	Subject  string // oid of the user or service principal
	Audience string
	Roles    []string // application permissions (app tokens)
	Scopes   []string // delegated permissions (user tokens)
	Expiry   time.Time
	UPN      string // signed-in user, empty for app tokens
}

// keyID derives a stable key id from the public key.
func keyID(pub *rsa.PublicKey) string {
	sum := sha256.Sum256(pub.N.Bytes())
	return base64.RawURLEncoding.EncodeToString(sum[:15])
}

// jwk is one entry of the JWKS document.
type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func (e *Entra) jwks() map[string][]jwk {
	pub := &e.key.PublicKey
	return map[string][]jwk{"keys": {{
		Kty: "RSA", Use: "sig", Kid: e.kid, Alg: "RS256",
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}

// sign returns claims as an RS256 JWT signed with the service's key.
func (e *Entra) sign(claims jwt.MapClaims) string {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = e.kid
	s, err := t.SignedString(e.key)
	if err != nil {
		panic("entra: signing a token: " + err.Error()) // only fails for a broken key
	}
	return s
}

// Verify checks token's signature, its time window (with the configured
// clock) and issuer shape, and returns its claims. Audience, roles and
// scopes are for the caller to check.
func (e *Entra) Verify(token string) (*Claims, error) {
	var mc jwt.MapClaims
	_, err := jwt.ParseWithClaims(token, &mc, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != e.kid {
			return nil, errors.New("unknown signing key")
		}
		return &e.key.PublicKey, nil
	},
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(e.cfg.Now),
	)
	if err != nil {
		return nil, fmt.Errorf("entra: invalid token: %w", err)
	}
	c := &Claims{
		Tenant:   str(mc, "tid"),
		ClientID: str(mc, "azp"),
		Subject:  str(mc, "oid"),
		UPN:      str(mc, "upn"),
	}
	if c.ClientID == "" {
		c.ClientID = str(mc, "appid")
	}
	if c.UPN == "" {
		c.UPN = str(mc, "preferred_username")
	}
	if aud, _ := mc.GetAudience(); len(aud) == 1 {
		c.Audience = aud[0]
	}
	if exp, _ := mc.GetExpirationTime(); exp != nil {
		c.Expiry = exp.Time
	}
	if roles, ok := mc["roles"].([]any); ok {
		for _, r := range roles {
			if s, ok := r.(string); ok {
				c.Roles = append(c.Roles, s)
			}
		}
	}
	c.Scopes = strings.Fields(str(mc, "scp"))
	iss := str(mc, "iss")
	if c.Tenant == "" || e.tenant(c.Tenant) == "" || !strings.HasSuffix(iss, "/"+c.Tenant+"/v2.0") {
		return nil, errors.New("entra: invalid token: issuer or tenant not recognised")
	}
	if c.Audience == "" || c.ClientID == "" || c.Subject == "" {
		return nil, errors.New("entra: invalid token: missing aud, azp or oid")
	}
	return c, nil
}

func str(m jwt.MapClaims, k string) string {
	s, _ := m[k].(string)
	return s
}
