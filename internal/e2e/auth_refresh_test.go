package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// msalMargin is how long before expiry MSAL stops handing out a cached
// access token.
const msalMargin = 5 * time.Minute

// TestAuthExpiredTokenIsRenewed checks that a token MSAL knows to be due
// is replaced before a query uses it. The managed identity endpoint states
// expiry as an absolute time on the simulator's clock, so a clock set back
// by the token lifetime less 299 s hands out tokens that MSAL, on the real
// clock, sees expiring within its five-minute margin. Moving the clock two
// hours on then makes the first token expired for the simulator too: a
// query that sent it would be refused with a 401.
func TestAuthExpiredTokenIsRenewed(t *testing.T) {
	s := startAuthSim(t, -(time.Hour - msalMargin + time.Second), nil)
	l := newLeaks(s)
	env := []string{"IDENTITY_ENDPOINT=" + s.IdentityEndpoint(), "IDENTITY_HEADER=" + s.IdentityHeader()}
	p := startAuthPlugin(t, s, l, env, Connection{Name: "defender", Config: simBlock(s, s.Tenant(), "use_managed_identity", true)})

	mustScanDevices(t, p, l, "defender", s.Tenant())
	if n := len(entraCalls(s, 0, entra.EndpointAppServiceMI, "")); n != 1 {
		t.Fatalf("identity endpoint calls after the first query = %d, want 1", n)
	}
	s.clock.Advance(2 * time.Hour)
	mustScanDevices(t, p, l, "defender", s.Tenant())
	if n := len(entraCalls(s, 0, entra.EndpointAppServiceMI, "")); n != 2 {
		t.Errorf("identity endpoint calls after the second query = %d, want 2 (a new token)", n)
	}
	// Every hunting call succeeded: the token was renewed before use, not
	// after a refusal.
	if n := checkHuntingCallers(t, s, 0, demoMIClientID, s.Tenant()); n != 2 {
		t.Errorf("hunting calls = %d, want 2", n)
	}
}

// TestAuthRetryAfter401 checks that a hunting call refused with a 401 is
// repeated exactly once with a token MSAL did not take from its cache.
func TestAuthRetryAfter401(t *testing.T) {
	s := startAuthSim(t, 0, nil)
	l := newLeaks(s)
	p := startAuthPlugin(t, s, l, nil, Connection{Name: "defender",
		Config: simBlock(s, s.Tenant(), "client_id", s.ClientID(), "client_secret", s.ClientSecret())})
	mustScanDevices(t, p, l, "defender", s.Tenant())

	// On the simulator's clock the cached token has expired; MSAL, on the
	// real clock, still trusts it.
	s.clock.Advance(2 * time.Hour)
	calls, tokens := len(s.Calls()), len(s.Entra().Calls())
	mustScanDevices(t, p, l, "defender", s.Tenant())
	got := s.Calls()[calls:]
	if len(got) != 2 || got[0].Status != http.StatusUnauthorized || got[1].Status != http.StatusOK {
		t.Errorf("hunting calls = %s, want a 401 then a 200", huntingStatuses(got))
	}
	if n := len(entraCalls(s, tokens, entra.EndpointToken, clientCredGrant)); n != 1 {
		t.Errorf("token requests after the 401 = %d, want 1", n)
	}

	// A 401 that persists with a fresh token fails after one retry.
	s.Faults().FailNext(http.StatusUnauthorized, 3)
	calls, tokens = len(s.Calls()), len(s.Entra().Calls())
	_, err := authScan(t, p, l, deviceScan("defender"))
	if err == nil || !strings.Contains(err.Error(), "authentication failed") {
		t.Errorf("error = %v, want an authentication failure", err)
	}
	if got := s.Calls()[calls:]; len(got) != 2 {
		t.Errorf("hunting calls = %s, want the call and one retry", huntingStatuses(got))
	}
	if n := len(entraCalls(s, tokens, entra.EndpointToken, clientCredGrant)); n != 1 {
		t.Errorf("token requests = %d, want 1 (the fresh token for the retry)", n)
	}
}
