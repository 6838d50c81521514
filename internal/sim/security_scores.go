package sim

import (
	"fmt"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/odatafilter"
)

// controlSpec is one Secure Score control of the demo tenant.
type controlSpec struct {
	name, category, title, service, tier, cost, impact string
	max                                                float64
	threats                                            []string
}

var controls = []controlSpec{
	{"MFARegistrationV2", "Identity", "Ensure multifactor authentication is enabled for all users", "AzureAD", "Core", "Moderate", "Moderate", 9, []string{"AccountBreach", "PasswordCracking"}},
	{"AdminMFAV2", "Identity", "Require MFA for administrative roles", "AzureAD", "Core", "Low", "Low", 10, []string{"AccountBreach", "ElevationOfPrivilege"}},
	{"BlockLegacyAuthentication", "Identity", "Enable policy to block legacy authentication", "AzureAD", "Core", "Moderate", "Moderate", 8, []string{"PasswordCracking"}},
	{"mdo_safelinksforemail", "Apps", "Ensure Safe Links for Office applications is enabled", "MDO", "Defense in depth", "Low", "Low", 8, []string{"Phishing", "MaliciousPayload"}},
	{"scid_2012", "Device", "Turn on Microsoft Defender Antivirus PUA protection in block mode", "MDATP", "Core", "Low", "Low", 7, []string{"Malware"}},
	{"scid_91", "Device", "Block execution of potentially obfuscated scripts", "MDATP", "Defense in depth", "Moderate", "Moderate", 9, []string{"Malware", "ElevationOfPrivilege"}},
	{"aad_limited_administrative_roles", "Identity", "Use least privileged administrative roles", "AzureAD", "Core", "Low", "Low", 1, []string{"ElevationOfPrivilege"}},
	{"mdo_atpprotection", "Data", "Turn on Microsoft Defender for Office 365 in SharePoint, OneDrive, and Microsoft Teams", "MDO", "Advanced", "Low", "Low", 5, []string{"Malware", "DataExfiltration"}},
}

// secureScores are 90 daily snapshots, the most recent today at 00:00 UTC
// plus a few minutes, improving over time.
func secureScores(now time.Time, tenant string) []*secEntity {
	var out []*secEntity
	today := now.UTC().Truncate(24 * time.Hour)
	var maxScore float64
	for _, c := range controls {
		maxScore += c.max
	}
	for day := 0; day < 90; day++ {
		at := today.AddDate(0, 0, -day).Add(7*time.Minute + 31*time.Second + 4521*time.Microsecond)
		if at.After(now) {
			continue
		}
		var current float64
		scores := []any{}
		for i, c := range controls {
			s := c.max * float64((i+90-day)%4) / 3
			current += s
			scores = append(scores, map[string]any{
				"controlCategory": c.category, "controlName": c.name, "description": c.title, "score": s,
				"scoreInPercentage": s / c.max * 100, "lastSynced": graphTime(at), "implementationStatus": fmt.Sprintf("%d of 3 steps done", (i+90-day)%4),
			})
		}
		id := tenant + "_" + at.Format("2006-01-02")
		body := map[string]any{
			"id": id, "azureTenantId": tenant, "activeUserCount": 38 + day%3, "licensedUserCount": 40,
			"createdDateTime": graphTime(at), "currentScore": current, "maxScore": maxScore,
			"enabledServices": []string{"HasExchange", "HasSharePoint", "HasOD4B", "HasMDATP", "HasAzureAD"},
			"averageComparativeScores": []any{
				map[string]any{"basis": "AllTenants", "averageScore": 38.12},
				map[string]any{"basis": "TotalSeats", "averageScore": 41.5, "seatSizeRangeLowerValue": 26, "seatSizeRangeUpperValue": 100},
			},
			"controlScores":     scores,
			"vendorInformation": map[string]any{"provider": "SecureScore", "providerVersion": nil, "subProvider": nil, "vendor": "Microsoft"},
		}
		out = append(out, &secEntity{id: id, created: at, body: body, filter: map[string]odatafilter.Value{}})
	}
	return out
}

// controlProfiles are the tenant's Secure Score control profiles.
func controlProfiles(tenant string) []*secEntity {
	var out []*secEntity
	updated := time.Date(2025, 11, 4, 9, 30, 0, 0, time.UTC)
	for i, c := range controls {
		at := updated.Add(-time.Duration(i) * 24 * time.Hour)
		body := map[string]any{
			"id": c.name, "azureTenantId": tenant, "actionType": "Config", "actionUrl": "https://security.microsoft.com/securescore?viewid=actions",
			"controlCategory": c.category, "title": c.title, "deprecated": false, "implementationCost": c.cost,
			"lastModifiedDateTime": graphTime(at), "maxScore": c.max, "rank": i + 1,
			"remediation":       "In the portal, open the recommendation '" + c.title + "' and follow its steps.",
			"remediationImpact": "Users may see a change when this control is applied.", "service": c.service,
			"threats": c.threats, "tier": c.tier, "userImpact": c.impact,
			"complianceInformation": []any{map[string]any{"certificationName": "NIST 800-53",
				"certificationControls": []any{map[string]any{"name": "AC-2", "url": nil}}}},
			"controlStateUpdates": []any{},
			"vendorInformation":   map[string]any{"provider": "SecureScore", "providerVersion": nil, "subProvider": nil, "vendor": "Microsoft"},
		}
		out = append(out, &secEntity{id: c.name, created: at, body: body, filter: map[string]odatafilter.Value{}})
	}
	return out
}
