package defender

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/auth"
)

// huntingAPITag is the rate limiter scope value that marks the scans of
// connections using the MDE API. The SDK's tags are fixed per table, so
// it comes from a one-item matrix, whose values the SDK adds to a scan's
// scope values.
const huntingAPITag = "hunting_api"

// huntingAPIMatrix gives the hunting tables of a connection with
// api = "mde" the hunting_api = 'mde' scope value, which the
// defender_mde_hourly limiter selects. Graph connections get no matrix,
// so their scans run as before.
func huntingAPIMatrix(_ context.Context, d *plugin.QueryData) []map[string]any {
	api, _, err := auth.ParseAPI(str(connectionConfig(d.Connection).API))
	if err != nil || api != auth.MDE {
		return nil
	}
	return []map[string]any{{huntingAPITag: string(auth.MDE)}}
}
