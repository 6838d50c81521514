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

// Plugin returns the Defender plugin: the 65 advanced hunting tables and
// defender_hunting_query.
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
	m := make(map[string]*plugin.Table, len(schema.Tables())+1)
	for _, def := range schema.Tables() {
		t := newTable(def).pluginTable()
		m[t.Name] = t
	}
	q := huntingQueryTable()
	m[q.Name] = q
	return m
}

// huntingLimiter is the name of the rate limiter on hunting calls; users
// override it with a limiter block of the same name.
const huntingLimiter = "defender_hunting"

// rateLimiters keeps each connection within Defender's documented quota
// of 45 hunting calls a minute per tenant.
func rateLimiters() []*rate_limiter.Definition {
	return []*rate_limiter.Definition{{
		Name:       huntingLimiter,
		FillRate:   0.75,
		BucketSize: 45,
		Scope:      []string{"connection"},
		Where:      "service = 'hunting'",
	}}
}
