package e2e

import (
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// TestCloudUSGovernment runs connections for the US Government clouds
// against the simulator, which plays their sign-in and API hosts: each
// asks Entra ID for its cloud's audience, and the hunting API accepts the
// token.
func TestCloudUSGovernment(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	secret := []any{"client_id", s.ClientID(), "client_secret", s.ClientSecret()}
	cases := []struct{ name, cloud, api, scope string }{
		{"gcc_high", "gcc-high", "graph", "https://graph.microsoft.us/.default"},
		{"dod", "dod", "graph", "https://dod-graph.microsoft.us/.default"},
		{"gcc_high_mde", "gcc-high", "mde", "https://api-gov.securitycenter.microsoft.us/.default"},
	}
	conns := make([]Connection, len(cases))
	for i, c := range cases {
		conns[i] = Connection{Name: c.name, Config: simBlock(s, s.Tenant(), append([]any{"cloud", c.cloud, "api", c.api}, secret...)...)}
	}
	p := startAuthPlugin(t, s, l, nil, conns...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, entraFrom := len(s.Calls()), len(s.Entra().Calls())
			mustScanDevices(t, p, l, c.name, s.Tenant())
			checkHuntingCallers(t, s, from, s.ClientID(), s.Tenant())
			tokens := entraCalls(s, entraFrom, entra.EndpointToken, clientCredGrant)
			if len(tokens) != 1 {
				t.Fatalf("token requests = %+v, want one", tokens)
			}
			if got := strings.Fields(tokens[0].Scope); len(got) == 0 || got[0] != c.scope {
				t.Errorf("token request scope = %q, want %s first", tokens[0].Scope, c.scope)
			}
			for _, call := range s.Calls()[from:] {
				if call.API != c.api {
					t.Errorf("hunting call to the %s API, want %s", call.API, c.api)
				}
			}
		})
	}
}
