package entra

import (
	"testing"
)

func BenchmarkAppToken(b *testing.B) {
	e := benchEntra(b)
	app := e.app(secretApp)
	for b.Loop() {
		e.appToken("https://127.0.0.1:1", app, graph)
	}
}

func BenchmarkVerify(b *testing.B) {
	e := benchEntra(b)
	tok, _ := e.appToken("https://127.0.0.1:1", e.app(secretApp), graph)
	for b.Loop() {
		if _, err := e.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEntra(b *testing.B) *Entra {
	b.Helper()
	e, err := New(Config{Tenants: []string{tenantA}, Apps: []App{{ClientID: secretApp, Tenant: tenantA, Roles: []string{"ThreatHunting.Read.All"}}}})
	if err != nil {
		b.Fatal(err)
	}
	return e
}
