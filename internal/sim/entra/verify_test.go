package entra

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestVerify(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f := newFixture(t, func(c *Config) { c.Now = clock.Now; c.TokenTTL = 10 * time.Minute })
	app := f.e.app(secretApp)
	tok, exp := f.e.appToken("https://127.0.0.1:1", app, graph+"/")
	if !exp.Equal(clock.Now().Add(10 * time.Minute)) {
		t.Errorf("expiry %s, want issue time + TTL", exp)
	}
	c, err := f.e.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.Audience != graph || !c.Expiry.Equal(exp) || c.Subject != objectIDOf(app) {
		t.Errorf("claims = %+v", c)
	}

	clock.Advance(10*time.Minute + time.Second)
	if _, err := f.e.Verify(tok); err == nil {
		t.Error("an expired token verified")
	}
	clock.Advance(-20 * time.Minute)
	if _, err := f.e.Verify(tok); err == nil {
		t.Error("a token verified before its nbf/iat")
	}
}

func TestVerifyRejectsForgeries(t *testing.T) {
	f := newFixture(t, nil)
	other := newFixture(t, nil)
	app := f.e.app(secretApp)
	good, _ := f.e.appToken("https://127.0.0.1:1", app, graph)

	parts := strings.Split(good, ".")
	claims, _ := jwt.NewParser().DecodeSegment(parts[1])
	forgedClaims := strings.Replace(string(claims), `"ThreatHunting.Read.All"`, `"ThreatHunting.ReadWrite.All"`, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forgedClaims)) + "." + parts[2]

	if tampered == good {
		t.Fatal("the forgery did not change the payload")
	}
	foreign, _ := other.e.appToken("https://127.0.0.1:1", other.e.app(secretApp), graph)
	unsigned := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"aud": graph, "tid": tenantA, "exp": time.Now().Add(time.Hour).Unix()})
	none, _ := unsigned.SignedString(jwt.UnsafeAllowNoneSignatureType)
	id := f.e.idToken("https://127.0.0.1:1", f.e.app(publicApp), &f.e.cfg.Users[0])

	for name, tok := range map[string]string{
		"tampered payload":    tampered,
		"another key":         foreign,
		"alg none":            none,
		"id token":            id,
		"not a jwt":           "opaque",
		"truncated signature": good[:len(good)-8],
	} {
		if _, err := f.e.Verify(tok); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
	if _, err := f.e.Verify(good); err != nil {
		t.Errorf("the genuine token failed: %v", err)
	}
}
