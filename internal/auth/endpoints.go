package auth

import (
	"fmt"
	"slices"
	"strings"
)

// API selects the advanced hunting API a connection queries.
type API string

const (
	// Graph is Microsoft Graph security/runHuntingQuery, the default.
	Graph API = "graph"
	// MDE is the legacy Defender for Endpoint api/advancedqueries/run API.
	MDE API = "mde"
)

// MDERetirement is the warning a connection with api = "mde" logs once.
const MDERetirement = `api = "mde" queries the legacy Defender for Endpoint advanced hunting API, ` +
	`which Microsoft began retiring in January 2026 (message center MC1220762); ` +
	`set api = "graph" to use Microsoft Graph's runHuntingQuery (permission ThreatHunting.Read.All)`

// ParseAPI normalises a configured API name. "" means Graph. The legacy
// names "mdatp" and "m365d" select MDE and come with a warning for the user.
func ParseAPI(name string) (api API, warning string, err error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "", string(Graph):
		return Graph, "", nil
	case string(MDE):
		return MDE, "", nil
	case "mdatp", "m365d":
		return MDE, fmt.Sprintf("api = %q is a legacy name; it selects the MDE advanced queries API, so write api = \"mde\" (or api = \"graph\", the supported successor)", n), nil
	default:
		return "", "", fmt.Errorf("unknown api %q: use \"graph\" (default) or \"mde\"", name)
	}
}

// Endpoints are the hosts and token scope for one cloud and API.
type Endpoints struct {
	Cloud string
	// AuthorityHost is the Entra ID sign-in host, e.g. https://login.microsoftonline.com.
	AuthorityHost string
	// APIBase is the API root without a path: the Graph service root, or
	// the MDE API host.
	APIBase string
	// Scope is the client-credentials scope, "<resource>/.default".
	Scope string
	// Permission is the application permission the app registration needs.
	Permission string
	// DelegatedPermission is the permission a signed-in user needs.
	DelegatedPermission string
}

const (
	loginGlobal = "https://login.microsoftonline.com"
	loginUSGov  = "https://login.microsoftonline.us"
)

// graphRoots maps each cloud that offers Graph advanced hunting to its
// authority host and Graph service root.
var graphRoots = map[string][2]string{
	"global":   {loginGlobal, "https://graph.microsoft.com"},
	"gcc":      {loginGlobal, "https://graph.microsoft.com"},
	"gcc-high": {loginUSGov, "https://graph.microsoft.us"},
	"dod":      {loginUSGov, "https://dod-graph.microsoft.us"},
}

// mdeHosts maps each cloud to its authority host, MDE API host and token
// resource. The regional hosts share the global sign-in and resource.
var mdeHosts = map[string][3]string{
	"global":   {loginGlobal, "https://api.security.microsoft.com", mdeResource},
	"gcc":      {loginGlobal, "https://api-gcc.securitycenter.microsoft.us", "https://api-gcc.securitycenter.microsoft.us"},
	"gcc-high": {loginUSGov, "https://api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us"},
	"dod":      {loginUSGov, "https://api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us"},
}

const mdeResource = "https://api.securitycenter.microsoft.com"

// mdeRegions are the regional MDE API hosts, <region>.api.security.microsoft.com.
var mdeRegions = []string{"us", "eu", "uk", "au", "swa", "ina", "aea"}

// ResolveEndpoints returns the endpoints for a cloud ("" means global) and
// API ("" means Graph).
func ResolveEndpoints(cloud string, api API) (Endpoints, error) {
	api, _, err := ParseAPI(string(api))
	if err != nil {
		return Endpoints{}, err
	}
	name := strings.ToLower(strings.TrimSpace(cloud))
	if name == "" {
		name = "global"
	}
	if name == "china" {
		return Endpoints{}, fmt.Errorf("cloud %q: advanced hunting is not offered in Microsoft 365 operated by 21Vianet", cloud)
	}
	if api == Graph {
		if r, ok := graphRoots[name]; ok {
			return Endpoints{
				Cloud: name, AuthorityHost: r[0], APIBase: r[1], Scope: r[1] + "/.default",
				Permission: "ThreatHunting.Read.All", DelegatedPermission: "ThreatHunting.Read.All",
			}, nil
		}
		if slices.Contains(mdeRegions, name) {
			return Endpoints{}, fmt.Errorf("cloud %q is a regional MDE API host and needs api = \"mde\"; Graph uses cloud = \"global\"", cloud)
		}
		return Endpoints{}, fmt.Errorf("unknown cloud %q: valid clouds are global, gcc, gcc-high, dod (and with api = \"mde\" the regions %s)", cloud, strings.Join(mdeRegions, ", "))
	}
	e := Endpoints{Cloud: name, Permission: "AdvancedQuery.Read.All", DelegatedPermission: "AdvancedQuery.Read"}
	switch h, ok := mdeHosts[name]; {
	case ok:
		e.AuthorityHost, e.APIBase, e.Scope = h[0], h[1], h[2]+"/.default"
	case slices.Contains(mdeRegions, name):
		e.AuthorityHost, e.APIBase, e.Scope = loginGlobal, "https://"+name+".api.security.microsoft.com", mdeResource+"/.default"
	default:
		return Endpoints{}, fmt.Errorf("unknown cloud %q: valid clouds are global, gcc, gcc-high, dod, %s", cloud, strings.Join(mdeRegions, ", "))
	}
	return e, nil
}
