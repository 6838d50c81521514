// Command sdkfloor is the SDK floor of the end-to-end benchmarks: a
// Steampipe plugin on the same SDK as the Defender plugin, whose one table
// defender_device_process_events has the Defender table's columns and
// streams rows held in memory. The benchmarks serve it and read it through
// go-plugin exactly as they do the Defender plugin, so the difference
// between the two is the Defender plugin's own cost: the API call, JSON
// decoding and value conversion.
//
// The rows are the simulator's: at start it generates the simulator data
// set (SDKFLOOR_SEED, SDKFLOOR_NOW in RFC 3339, SDKFLOOR_ROWS and
// SDKFLOOR_PROCESS_ROWS, as the benchmark's simulator has them), runs the
// KQL in SDKFLOOR_QUERY against it with the simulator's engine, and keeps
// each result row as the Go values the Defender plugin would produce, with
// SDKFLOOR_TENANT as its tenant_id. It streams as many rows as the query
// returned, cycling through the first thousand. With SDKFLOOR_MEMORY=plugin
// it bounds memory as the Defender plugin does (defender.DefaultFreeMemory);
// otherwise the SDK forces a collection every 100 rows.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

const tableName = "defender_device_process_events"

func main() {
	rows, err := loadRows()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkfloor:", err)
		os.Exit(1)
	}
	// Stream as many rows as the query returned, cycling through the
	// first few: a live heap of every row would make the SDK's forced
	// collection every 100 rows (debug.FreeOSMemory) far slower than it is
	// in the Defender plugin, which holds one response row at a time.
	n := len(rows)
	if os.Getenv("SDKFLOOR_MEMORY") == "plugin" {
		defender.DefaultFreeMemory()
	}
	rows = slices.Clone(rows[:min(n, distinctRows)])
	runtime.GC()
	plugin.Serve(&plugin.ServeOpts{PluginFunc: func(ctx context.Context) *plugin.Plugin {
		return floorPlugin(ctx, rows, n)
	}})
}

// distinctRows is how many of the rows the floor keeps.
const distinctRows = 1000

// floorPlugin is the Defender plugin's process events table with its List
// and transforms replaced: List streams rows, and each column reads its
// value from the row.
func floorPlugin(ctx context.Context, rows []map[string]any, n int) *plugin.Plugin {
	def := defender.Plugin(ctx).TableMap[tableName]
	t := &plugin.Table{
		Name:        def.Name,
		Description: "The Defender plugin's process events, streamed from memory.",
		List: &plugin.ListConfig{
			Hydrate: func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
				return list(ctx, d, rows, n)
			},
			KeyColumns: def.List.KeyColumns,
		},
		Cache: &plugin.TableCacheOptions{Enabled: false},
	}
	for _, c := range def.Columns {
		col := *c
		col.Transform = transform.FromP(value, c.Name)
		t.Columns = append(t.Columns, &col)
	}
	return &plugin.Plugin{
		Name:     "sdkfloor",
		TableMap: map[string]*plugin.Table{tableName: t},
	}
}

// list streams n rows, cycling through rows, up to the scan's limit.
func list(ctx context.Context, d *plugin.QueryData, rows []map[string]any, n int) (any, error) {
	defender.BoundMemory()
	for i := range n {
		d.StreamListItem(ctx, rows[i%len(rows)])
		if d.RowsRemaining(ctx) <= 0 {
			break
		}
	}
	return nil, nil
}

// value is every column's transform: the row's value for the column.
func value(_ context.Context, d *transform.TransformData) (any, error) {
	return d.HydrateItem.(map[string]any)[d.Param.(string)], nil
}

// loadRows builds the rows from the environment (see the package comment).
func loadRows() ([]map[string]any, error) {
	seed, err := strconv.ParseInt(os.Getenv("SDKFLOOR_SEED"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("SDKFLOOR_SEED: %w", err)
	}
	now, err := time.Parse(time.RFC3339, os.Getenv("SDKFLOOR_NOW"))
	if err != nil {
		return nil, fmt.Errorf("SDKFLOOR_NOW: %w", err)
	}
	n, err := strconv.Atoi(os.Getenv("SDKFLOOR_ROWS"))
	if err != nil {
		return nil, fmt.Errorf("SDKFLOOR_ROWS: %w", err)
	}
	procRows, err := strconv.Atoi(os.Getenv("SDKFLOOR_PROCESS_ROWS"))
	if err != nil {
		return nil, fmt.Errorf("SDKFLOOR_PROCESS_ROWS: %w", err)
	}
	data := dataset.New(dataset.Options{Seed: seed, Now: now, Rows: n,
		TableRows: map[string]int{"DeviceProcessEvents": procRows}})
	res, err := engine.Run(os.Getenv("SDKFLOOR_QUERY"), data, func() time.Time { return now })
	if err != nil {
		return nil, fmt.Errorf("SDKFLOOR_QUERY: %w", err)
	}
	def := schema.Lookup("DeviceProcessEvents")
	rows := make([]map[string]any, 0, len(res.Rows))
	for _, vals := range res.Rows {
		r, err := e2e.SQLRow(def, res.Columns, vals, os.Getenv("SDKFLOOR_TENANT"))
		if err != nil {
			return nil, err
		}
		m := make(map[string]any, len(r))
		for k, v := range r {
			if j, ok := v.(e2e.JSON); ok {
				v = json.RawMessage(j)
			}
			m[k] = v
		}
		rows = append(rows, m)
	}
	return rows, nil
}
