package dataset

import (
	"fmt"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// Every column carries real data somewhere: no column is always empty or
// null, and only a few columns hold one value in every row.
func TestEveryColumnHasData(t *testing.T) {
	d := New(Options{Seed: 5, Now: testNow, Rows: 400})
	constantOK := map[string]bool{
		"DeviceProcessEvents.ActionType": true, "DeviceImageLoadEvents.ActionType": true,
		"CloudProcessEvents.ActionType": true, "CloudStorageAggregatedEvents.ActionType": true,
		"MessageEvents.ActionType": true, "CampaignInfo.ActionType": true, "GraphApiAuditEvents.ActionType": true,
		"DeviceFileCertificateInfo.ActionType": true, "CampaignInfo.CampaignName": true, "CampaignInfo.CampaignId": true,
		"CampaignInfo.CampaignType": true, "DeviceInfo.Site": true, "DeviceInfo.OnboardingStatus": true,
		"DeviceInfo.DeviceCategory": true, "DeviceInfo.ConnectivityType": true, "DeviceInfo.DiscoverySources": true,
		"UrlClickEvents.Workload": true, "IdentityInfo.CompanyName": true, "IdentityInfo.IsAccountEnabled": true,
		"IdentityInfo.AccountDomain": true, "IdentityAccountInfo.AccountStatus": true,
		"IdentityInfo.Manager": true, "IdentityAccountInfo.Manager": true,
		"DeviceNetworkInfo.DnsAddresses": true, "DeviceTvmSoftwareEvidenceBeta.LastSeenTime": true,
	}
	for _, name := range d.Names() {
		tab, _ := d.Table(name)
		distinct := make([]map[string]bool, len(tab.Columns))
		for k := range distinct {
			distinct[k] = map[string]bool{}
		}
		rows := 0
		blanks := make([]int, len(tab.Columns))
		tab.Scan(func(row []engine.Value) bool {
			rows++
			for k, v := range row {
				if v == nil || v == "" {
					blanks[k]++
					continue
				}
				if dv, ok := v.(engine.Dynamic); ok {
					v = dv.V
				}
				distinct[k][fmt.Sprint(v)] = true
			}
			return true
		})
		for k, c := range tab.Columns {
			full := name + "." + c.Name
			switch n := len(distinct[k]); {
			case n == 0:
				t.Errorf("%s is always empty or null in %d rows", full, rows)
			case n == 1 && blanks[k] == 0 && rows >= 20 && !constantOK[full]:
				for v := range distinct[k] {
					t.Errorf("%s is always %q", full, v)
				}
			}
		}
	}
}
