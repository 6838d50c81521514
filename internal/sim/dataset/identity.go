package dataset

import (
	"encoding/json"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

func userCols() map[string]gen {
	u := func(f func(x *user) string) gen { return str(func(c *rowCtx) string { return f(c.u) }) }
	return map[string]gen{
		"AccountName":     u(func(x *user) string { return x.Name }),
		"AccountDomain":   u(func(x *user) string { return mailDomain }),
		"OnPremSid":       u(func(x *user) string { return x.SID }),
		"Sid":             u(func(x *user) string { return x.SID }),
		"CloudSid":        u(func(x *user) string { return "S-1-12-1-" + strings.ReplaceAll(x.ObjectID[:13], "-", "") }),
		"DisplayName":     u(func(x *user) string { return x.Display }),
		"GivenName":       u(func(x *user) string { return x.Given }),
		"Surname":         u(func(x *user) string { return x.Surname }),
		"Department":      u(func(x *user) string { return x.Department }),
		"JobTitle":        u(func(x *user) string { return x.Title }),
		"EmailAddress":    u(func(x *user) string { return x.UPN }),
		"SipProxyAddress": u(func(x *user) string { return "sip:" + x.UPN }),
		"City":            u(func(x *user) string { return x.City }),
		"Country":         u(func(x *user) string { return x.Country }),
		"Phone":           u(func(x *user) string { return x.Phone }),
		"EmployeeId":      u(func(x *user) string { return x.EmployeeID }),
		"CompanyName":     u(func(x *user) string { return orgName }),
		"Address":         u(func(x *user) string { return "1 Wharf Street, " + x.City }),
		"AccountId":       u(func(x *user) string { return x.ObjectID }),
		"IdentityId":      u(func(x *user) string { return x.ObjectID }),
		"AccountStatus":   u(func(x *user) string { return "Enabled" }),
		"DistinguishedName": u(func(x *user) string {
			return "CN=" + x.Display + ",OU=" + x.Department + ",OU=Staff,DC=corp,DC=larkspur,DC=example"
		}),
		"Manager": str(func(c *rowCtx) string { return c.d.t.Users[17].UPN }),
		"State": str(func(c *rowCtx) string {
			for _, p := range homePlaces {
				if p.City == c.u.City {
					return p.State
				}
			}
			return ""
		}),
		"Type": u(func(x *user) string {
			if x.Service {
				return "ServiceAccount"
			}
			return "User"
		}),
		"CriticalityLevel": func(c *rowCtx) engine.Value {
			if c.u.Admin || c.u == c.d.t.Users[4] || c.u == c.d.t.Users[17] {
				return int64(1)
			}
			return int64(0)
		},
		"IsAccountEnabled": func(c *rowCtx) engine.Value { return true },
		"RiskLevel": str(func(c *rowCtx) string {
			for _, v := range c.d.t.Victims {
				if v == c.u {
					return "High"
				}
			}
			return pick(&c.r, []string{"", "None", "Low"})
		}),
		"AssignedRoles": func(c *rowCtx) engine.Value {
			if c.u.Admin {
				return engine.Dynamic{V: []any{"Global Administrator", "Security Administrator"}}
			}
			return engine.Dynamic{V: []any{}}
		},
		"OtherMailAddresses": func(c *rowCtx) engine.Value {
			return engine.Dynamic{V: []any{strings.SplitN(c.u.UPN, "@", 2)[0] + "@larkspur-logistics.example"}}
		},
		"EnrolledMfas": func(c *rowCtx) engine.Value {
			return engine.Dynamic{V: map[string]any{"Methods": []any{"MicrosoftAuthenticator"}, "Count": json.Number("1"), "Default": nil}}
		},
	}
}

func init() {
	byUser := func(c *rowCtx) { c.u = c.d.t.Users[c.i%len(c.d.t.Users)] }
	defs["IdentityInfo"] = &tableDef{prep: byUser, cols: userCols()}
	defs["IdentityAccountInfo"] = &tableDef{prep: byUser, cols: userCols()}
}
