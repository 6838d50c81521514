package dataset

import (
	"strconv"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// signInFailure is the error code of a failed sign-in, kept in rowCtx.item.
type signInFailure int64

// Common Entra ID sign-in error codes.
const (
	errInvalidPassword signInFailure = 50126
	errLocked          signInFailure = 50053
	errMFARequired     signInFailure = 50074
	errBlockedCA       signInFailure = 53003
)

// signInPrep chooses who signs in and whether it works. A fifth of rows
// belong to the password spray against the two victim accounts, and most of
// those fail from abroad; everyone else fails rarely.
func signInPrep(c *rowCtx) {
	c.item = signInFailure(0)
	if c.i%5 == 2 {
		c.u = c.d.t.Victims[c.i/5%len(c.d.t.Victims)]
		if c.r.chance(0.85) {
			c.pl = &attackPlaces[c.r.intn(len(attackPlaces))]
			c.item = pick(&c.r, []signInFailure{errInvalidPassword, errInvalidPassword, errInvalidPassword, errLocked})
		}
		return
	}
	c.u = pick(&c.r, c.d.t.humans())
	for _, d := range c.d.t.Devices {
		if d.Primary == c.u {
			c.dev = d
		}
	}
	if c.r.chance(0.04) {
		c.item = pick(&c.r, []signInFailure{errMFARequired, errBlockedCA, errInvalidPassword})
	}
}

func signInCols() map[string]gen {
	failed := func(c *rowCtx) bool { return c.item.(signInFailure) != 0 }
	return map[string]gen{
		"ErrorCode": func(c *rowCtx) engine.Value { return int64(c.item.(signInFailure)) },
		"IPAddress": str(func(c *rowCtx) string { return c.pl.IPPrefix + strconv.Itoa(20+c.i%180) }),
		"LogonType": str(func(c *rowCtx) string {
			return pick(&c.r, []string{`["interactiveUser"]`, `["interactiveUser"]`, `["nonInteractiveUser"]`})
		}),
		"ConditionalAccessStatus": func(c *rowCtx) engine.Value {
			if c.item.(signInFailure) == errBlockedCA {
				return int64(1)
			}
			return int64(c.r.intn(3) * 2 % 4)
		},
		"AuthenticationRequirement": str(func(c *rowCtx) string {
			return pick(&c.r, []string{"singleFactorAuthentication", "multiFactorAuthentication"})
		}),
		"RiskLevelAggregated": func(c *rowCtx) engine.Value {
			if failed(c) && c.pl.Country != "GB" {
				return int64(100)
			}
			return int64(pick(&c.r, []int{0, 0, 0, 10}))
		},
		"ConditionalAccessPolicies": str(func(c *rowCtx) string {
			return `[{"id":"` + c.d.t.TenantID[:8] + `-mfa","displayName":"Require MFA for all users","result":"` +
				pick(&c.r, []string{"success", "notApplied", "failure"}) + `"}]`
		}),
		"NetworkLocationDetails": str(func(c *rowCtx) string {
			if c.pl.Country == "GB" && c.pl.City == "Leeds" {
				return `[{"networkType":"namedNetwork","networkNames":["Leeds HQ"]}]`
			}
			return `[]`
		}),
		"AuthenticationProcessingDetails": str(func(c *rowCtx) string {
			return `[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"` + strconv.FormatBool(c.r.chance(0.5)) + `"}]`
		}),
		"DeviceTrustType": str(func(c *rowCtx) string {
			return pick(&c.r, []string{"Hybrid Azure AD joined", "Azure AD registered", ""})
		}),
		"EndpointCall":        str(func(c *rowCtx) string { return pick(&c.r, []string{"Login:login", "Kmsi:kmsi", "SAS:ProcessAuth"}) }),
		"AlternateSignInName": str(func(c *rowCtx) string { return c.u.UPN }),
	}
}

func init() {
	for _, name := range []string{"EntraIdSignInEvents", "AADSignInEventsBeta"} {
		defs[name] = &tableDef{prep: signInPrep, cols: signInCols()}
	}
	spn := map[string]gen{
		"ErrorCode": func(c *rowCtx) engine.Value {
			if c.r.chance(0.05) {
				return int64(7000215) // invalid client secret
			}
			return int64(0)
		},
		"ServicePrincipalName": str(func(c *rowCtx) string {
			return pick(&c.r, []string{"larkspur-backup-automation", "shipment-portal-api", "Azure Monitor Agent"})
		}),
	}
	defs["EntraIdSpnSignInEvents"] = &tableDef{cols: spn}
	defs["AADSpnSignInEventsBeta"] = &tableDef{cols: spn}
	defs["IdentityLogonEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			signInPrep(c)
			c.p = nil
		},
		cols: map[string]gen{
			"ActionType": func(c *rowCtx) engine.Value {
				if c.item.(signInFailure) != 0 {
					return "LogonFailed"
				}
				return "LogonSuccess"
			},
			"FailureReason": str(func(c *rowCtx) string {
				switch c.item.(signInFailure) {
				case 0:
					return ""
				case errLocked:
					return "AccountLocked"
				}
				return "WrongPassword"
			}),
			"LogonType": str(func(c *rowCtx) string {
				return pick(&c.r, []string{"Resource access", "Credentials validation", "Interactive"})
			}),
			"IPAddress": str(func(c *rowCtx) string { return c.pl.IPPrefix + strconv.Itoa(20+c.i%180) }),
		},
	}
}
