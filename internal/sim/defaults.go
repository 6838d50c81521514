package sim

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"sort"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// Defaults of the demo tenant.
const (
	// DemoTenant is the demo tenant id.
	DemoTenant = "7d3e5a1c-4b2f-4c8e-9a61-2f0b8d4e6c15"
	// DemoDomain is the demo tenant's user domain.
	DemoDomain = "larkspur.example"
	// DemoClientID is the confidential demo app, granted
	// ThreatHunting.Read.All, AdvancedQuery.Read.All and the Graph
	// security read permissions (PermIncidents, PermAlerts, PermScores).
	DemoClientID = "4a9c2e71-8b3d-4f06-a5e2-91c7d0b3f8a4"
	// DemoPublicClientID is the public client app for delegated sign-in.
	DemoPublicClientID = "b6e18f2d-37c4-4a95-8d0e-5f2a9c14e7b3"
	// DemoManagedIdentityID is the client id of the managed identity.
	DemoManagedIdentityID = "e2c75b93-1f4a-4d8e-b06c-73a9d5e1f248"
	// DemoUser is the user that signs in through the public client.
	DemoUser = "alice.moreau@" + DemoDomain
	// DemoUserObjectID is that user's object id.
	DemoUserObjectID = "0c9b4e27-6d13-4f5a-8e72-b1a3c5d9f604"

	// DefaultRowCap is Defender's documented row limit per query.
	DefaultRowCap = 100000
	// DefaultMaxResultBytes is the documented result size limit (50 MiB).
	DefaultMaxResultBytes = 50 << 20
	// DefaultRateLimit is the documented minimum of calls per minute per
	// tenant.
	DefaultRateLimit = 45
)

// The permissions the hunting APIs check.
const (
	permGraph        = "ThreatHunting.Read.All"
	permMDEApp       = "AdvancedQuery.Read.All"
	permMDEDelegated = "AdvancedQuery.Read"
)

// Resources whose tokens the hunting APIs accept; the first of each list
// is the one clients normally ask for. The simulator plays every cloud,
// so the US Government audiences (GCC High, DoD) are accepted too.
var (
	graphResources = []string{
		"https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000",
		"https://graph.microsoft.us", "https://dod-graph.microsoft.us",
	}
	mdeResources = []string{
		"https://api.securitycenter.microsoft.com",
		"https://api.security.microsoft.com",
		"https://securitycenter.onmicrosoft.com/windowsatpservice",
		"https://api-gcc.securitycenter.microsoft.us",
		"https://api-gov.securitycenter.microsoft.us",
	}
)

// qualified grants perm only in tokens for the given resources, as an API
// permission in Entra belongs to one resource.
func qualified(perm string, resources []string) []string {
	out := make([]string, len(resources))
	for i, r := range resources {
		out[i] = r + "/" + perm
	}
	return out
}

// demoApps are the default app registrations: a confidential app with a
// secret, a public client for delegated flows and a managed identity, each
// granted the Graph and MDE hunting permissions and the Graph security
// read permissions.
func demoApps(tenant, secret string) []entra.App {
	roles := append(qualified(permGraph, graphResources), qualified(permMDEApp, mdeResources)...)
	scopes := append(qualified(permGraph, graphResources), qualified(permMDEDelegated, mdeResources)...)
	for _, p := range []string{PermIncidents, PermAlerts, PermScores} {
		roles = append(roles, qualified(p, graphResources)...)
		scopes = append(scopes, qualified(p, graphResources)...)
	}
	return []entra.App{
		{ClientID: DemoClientID, Tenant: tenant, Secrets: []string{secret}, Roles: roles},
		{ClientID: DemoPublicClientID, Tenant: tenant, PublicClient: true, DelegatedScopes: scopes},
		{ClientID: DemoManagedIdentityID, Tenant: tenant, ManagedIdentity: true, Roles: roles},
	}
}

// demoUsers is the default user list.
func demoUsers(tenant string) []entra.User {
	return []entra.User{{UPN: DemoUser, ObjectID: DemoUserObjectID, Tenant: tenant}}
}

// tenantSet collects the configured tenant and every tenant an app or user
// belongs to.
func tenantSet(cfg Config) []string {
	set := map[string]bool{cfg.Tenant: true}
	for _, a := range cfg.Apps {
		if a.Tenant != "" {
			set[a.Tenant] = true
		}
	}
	for _, u := range cfg.Users {
		if u.Tenant != "" {
			set[u.Tenant] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("sim: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
