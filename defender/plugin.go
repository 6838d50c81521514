// Package defender is a Steampipe plugin for Microsoft Defender XDR
// advanced hunting: each hunting table is a SQL table, and a scan's
// conditions, columns, order and limit are sent to Defender as KQL.
package defender

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/rate_limiter"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// pluginName is the plugin's name as Steampipe reports it.
const pluginName = "steampipe-plugin-defender"

// Plugin returns the Defender plugin: the 65 advanced hunting tables, the
// current-state tables over the snapshot tables (defender_device …),
// defender_hunting_query, defender_query_log, and the incident, alert and secure score tables
// from Microsoft Graph's security API.
func Plugin(ctx context.Context) *plugin.Plugin {
	return &plugin.Plugin{
		Name:                   pluginName,
		ConnectionConfigSchema: &plugin.ConnectionConfigSchema{NewInstance: configInstance},
		ConnectionKeyColumns:   []plugin.ConnectionKeyColumn{{Name: tenantColumn, Hydrate: tenantID}},
		RateLimiters:           rateLimiters(),
		TableMap:               tableMap(),
	}
}

func tableMap() map[string]*plugin.Table {
	m := make(map[string]*plugin.Table, len(schema.Tables())+len(schema.CurrentTables())+1+len(securityTables))
	for _, t := range kqlTables() {
		pt := t.pluginTable()
		m[pt.Name] = pt
	}
	q := huntingQueryTable()
	m[q.Name] = q
	l := queryLogTable()
	m[l.Name] = l
	for _, st := range securityTables {
		t := st.pluginTable()
		m[t.Name] = t
	}
	return m
}

// securityTables are the tables over Microsoft Graph's security
// collections.
var securityTables = []*securityTable{incidentTable, alertTable, secureScoreTable, secureScoreControlProfileTable}

// huntingLimiter is the name of the rate limiter on hunting calls; users
// override it with a limiter block of the same name.
const huntingLimiter = "defender_hunting"

// graphSecurityLimiter is the name of the rate limiter on calls to Graph's
// security collections, which have their own quota.
const graphSecurityLimiter = "defender_graph_security"

// mdeHourlyLimiter is the name of the rate limiter on the MDE API's
// documented 1,500 calls an hour per tenant; only scans of connections
// with api = "mde" carry its tag (see huntingAPIMatrix).
const mdeHourlyLimiter = "defender_mde_hourly"

// rateLimiters keeps each connection within Defender's documented quotas:
// 45 hunting calls a minute per tenant (and with the MDE API 1,500 an
// hour), and 150 requests a minute per app and tenant to Graph's security
// alerts, incidents and secure score.
func rateLimiters() []*rate_limiter.Definition {
	return []*rate_limiter.Definition{{
		Name:       huntingLimiter,
		FillRate:   0.75,
		BucketSize: 45,
		Scope:      []string{"connection"},
		Where:      "service = 'hunting'",
	}, {
		Name:       mdeHourlyLimiter,
		FillRate:   1500.0 / 3600,
		BucketSize: 1500,
		Scope:      []string{"connection"},
		Where:      "service = 'hunting' and " + huntingAPITag + " = 'mde'",
	}, {
		Name:       graphSecurityLimiter,
		FillRate:   2.5,
		BucketSize: 150,
		Scope:      []string{"connection"},
		Where:      "service = 'graph_security'",
	}}
}
