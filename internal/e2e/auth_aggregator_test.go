package e2e

import (
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// TestAggregatorTwoTenants queries an aggregator over two connections,
// each an app in its own tenant of one simulator: rows come from both,
// labelled with their tenant, and a condition on tenant_id leaves the
// other tenant unqueried.
func TestAggregatorTwoTenants(t *testing.T) {
	secretA, secretB := randomSecret(), randomSecret()
	s := startAuthSim(t, 0, func(c *sim.Config) {
		c.Apps = []entra.App{
			{ClientID: demoSecretApp, Tenant: sim.DemoTenant, Secrets: []string{secretA}, Roles: huntingRole},
			{ClientID: otherClientID, Tenant: otherTenantID, Secrets: []string{secretB}, Roles: huntingRole},
		}
	})
	l := newLeaks(s)
	l.add(secretB)
	p := startAuthPlugin(t, s, l, nil,
		Connection{Name: "defender_a", Config: simBlock(s, sim.DemoTenant, "client_id", demoSecretApp, "client_secret", secretA)},
		Connection{Name: "defender_b", Config: simBlock(s, otherTenantID, "client_id", otherClientID, "client_secret", secretB)},
		Connection{Name: "defender_all", Children: []string{"defender_a", "defender_b"}},
	)
	caller := map[string]string{sim.DemoTenant: demoSecretApp, otherTenantID: otherClientID}

	// No LIMIT: Postgres stops reading after LIMIT rows in all, which
	// could all come from one tenant.
	all := deviceScan("defender_a", "defender_b")
	all.Limit = -1
	rows, err := authScan(t, p, l, all)
	if err != nil {
		t.Fatal(err)
	}
	perTenant := map[any]int{}
	for _, r := range rows {
		perTenant[r["tenant_id"]]++
	}
	if len(perTenant) != 2 || perTenant[sim.DemoTenant] == 0 || perTenant[otherTenantID] == 0 {
		t.Errorf("rows per tenant = %v, want rows from %s and %s only", perTenant, sim.DemoTenant, otherTenantID)
	}
	calls := s.Calls()
	if len(calls) != 2 {
		t.Errorf("hunting calls = %d, want one per tenant", len(calls))
	}
	for _, c := range calls {
		if c.Status != 200 || caller[c.Tenant] != c.ClientID {
			t.Errorf("hunting call by client %q in tenant %q (status %d)", c.ClientID, c.Tenant, c.Status)
		}
	}

	for _, tenant := range []string{otherTenantID, sim.DemoTenant} {
		from := len(s.Calls())
		sc := deviceScan("defender_a", "defender_b")
		sc.Quals = []Qual{{Column: "tenant_id", Op: "=", Value: tenant}}
		rows, err := authScan(t, p, l, sc)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			t.Errorf("tenant_id = %s: no rows", tenant)
		}
		for _, r := range rows {
			if r["tenant_id"] != tenant {
				t.Errorf("tenant_id = %s: row from %v", tenant, r["tenant_id"])
			}
		}
		if n := checkHuntingCallers(t, s, from, caller[tenant], tenant); n != 1 {
			t.Errorf("tenant_id = %s: %d hunting calls, want 1", tenant, n)
		}
	}
}
