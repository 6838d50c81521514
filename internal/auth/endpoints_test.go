package auth

import (
	"strings"
	"testing"
)

func TestResolveEndpointsTable(t *testing.T) {
	const (
		com = "https://login.microsoftonline.com"
		us  = "https://login.microsoftonline.us"
	)
	type row struct {
		cloud string
		api   API
		want  Endpoints
	}
	graph := func(cloud, login, root string) Endpoints {
		return Endpoints{Cloud: cloud, AuthorityHost: login, APIBase: root, Scope: root + "/.default",
			Permission: "ThreatHunting.Read.All", DelegatedPermission: "ThreatHunting.Read.All"}
	}
	mde := func(cloud, login, host, resource string) Endpoints {
		return Endpoints{Cloud: cloud, AuthorityHost: login, APIBase: host, Scope: resource + "/.default",
			Permission: "AdvancedQuery.Read.All", DelegatedPermission: "AdvancedQuery.Read"}
	}
	const mdeCommercial = "https://api.securitycenter.microsoft.com"
	rows := []row{
		{"", "", graph("global", com, "https://graph.microsoft.com")},
		{"global", Graph, graph("global", com, "https://graph.microsoft.com")},
		{"GCC", Graph, graph("gcc", com, "https://graph.microsoft.com")},
		{"gcc-high", Graph, graph("gcc-high", us, "https://graph.microsoft.us")},
		{"dod", Graph, graph("dod", us, "https://dod-graph.microsoft.us")},
		{"", MDE, mde("global", com, "https://api.security.microsoft.com", mdeCommercial)},
		{"gcc", MDE, mde("gcc", com, "https://api-gcc.securitycenter.microsoft.us", "https://api-gcc.securitycenter.microsoft.us")},
		{"gcc-high", MDE, mde("gcc-high", us, "https://api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us")},
		{"dod", MDE, mde("dod", us, "https://api-gov.securitycenter.microsoft.us", "https://api-gov.securitycenter.microsoft.us")},
	}
	for _, r := range []string{"us", "eu", "uk", "au", "swa", "ina", "aea"} {
		rows = append(rows, row{r, MDE, mde(r, com, "https://"+r+".api.security.microsoft.com", mdeCommercial)})
	}
	// Legacy API names resolve like mde.
	rows = append(rows,
		row{"eu", "mdatp", mde("eu", com, "https://eu.api.security.microsoft.com", mdeCommercial)},
		row{"", "M365D", mde("global", com, "https://api.security.microsoft.com", mdeCommercial)},
	)
	for _, r := range rows {
		got, err := ResolveEndpoints(r.cloud, r.api)
		if err != nil {
			t.Errorf("ResolveEndpoints(%q, %q): %v", r.cloud, r.api, err)
			continue
		}
		if got != r.want {
			t.Errorf("ResolveEndpoints(%q, %q) =\n %+v\nwant\n %+v", r.cloud, r.api, got, r.want)
		}
	}
}

func TestResolveEndpointsErrors(t *testing.T) {
	cases := []struct {
		cloud string
		api   API
		want  []string
	}{
		{"china", Graph, []string{`"china"`, "21Vianet"}},
		{"China", MDE, []string{"21Vianet"}},
		{"mars", Graph, []string{`"mars"`, "global, gcc, gcc-high, dod", "us, eu, uk, au, swa, ina, aea"}},
		{"mars", MDE, []string{`"mars"`, "global, gcc, gcc-high, dod, us, eu, uk, au, swa, ina, aea"}},
		{"eu", Graph, []string{`"eu"`, `api = "mde"`}},
		{"global", "kusto", []string{`unknown api "kusto"`, `"graph"`, `"mde"`}},
	}
	for _, c := range cases {
		_, err := ResolveEndpoints(c.cloud, c.api)
		if err == nil {
			t.Errorf("ResolveEndpoints(%q, %q) succeeded", c.cloud, c.api)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("ResolveEndpoints(%q, %q) error %q lacks %q", c.cloud, c.api, err, w)
			}
		}
	}
}

func TestParseAPI(t *testing.T) {
	cases := []struct {
		in      string
		want    API
		warning bool
	}{
		{"", Graph, false}, {"graph", Graph, false}, {" Graph ", Graph, false},
		{"mde", MDE, false}, {"MDE", MDE, false},
		{"mdatp", MDE, true}, {"m365d", MDE, true},
	}
	for _, c := range cases {
		got, warning, err := ParseAPI(c.in)
		if err != nil || got != c.want || (warning != "") != c.warning {
			t.Errorf("ParseAPI(%q) = %q, %q, %v", c.in, got, warning, err)
		}
		if c.warning && !strings.Contains(warning, `api = "mde"`) {
			t.Errorf("ParseAPI(%q) warning %q does not name the replacement", c.in, warning)
		}
	}
	if _, _, err := ParseAPI("defender"); err == nil {
		t.Error(`ParseAPI("defender") succeeded`)
	}
}
