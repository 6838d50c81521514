package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// TestSortPushdown checks ORDER BY on number and boolean columns, alone
// and with the time column: the schema declares exactly those columns
// sortable, the rows come back in Postgres's order by every key (NULLs
// last ascending and first descending, NaN above numbers), and a sort on
// another column than the time column costs one call that sorts in
// Defender, taking the LIMIT when there is one.
func TestSortPushdown(t *testing.T) {
	sch, err := plug.Schema(conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, def := range schema.Tables() {
		ts := sch.GetSchema()[def.SQLName()]
		if ts == nil {
			continue
		}
		bySQL := map[string]*schema.Column{}
		for i := range def.Columns {
			bySQL[sqlName(&def.Columns[i])] = &def.Columns[i]
		}
		for _, c := range ts.Columns {
			dc := bySQL[c.Name]
			want := dc != nil && (dc.Name == def.TimeColumn ||
				!dc.IsJSON() && (dc.Type == schema.Long || dc.Type == schema.Int || dc.Type == schema.Real || dc.Type == schema.Bool))
			if got := c.SortOrder != proto.SortOrder_None; got != want {
				t.Errorf("%s.%s (%v): sortable %v, want %v", def.SQLName(), c.Name, dc, got, want)
			}
		}
	}

	asc, desc := proto.SortOrder_Asc, proto.SortOrder_Desc
	key := func(c string, o proto.SortOrder) *proto.SortColumn { return &proto.SortColumn{Column: c, Order: o} }
	for _, tc := range []struct {
		table string
		sort  []*proto.SortColumn
		quals []Qual
		kql   string // the sort clause the first call must hold
	}{
		{"DeviceProcessEvents", []*proto.SortColumn{key("process_id", desc)}, nil, "sort by ['ProcessId'] desc nulls first"},
		{"DeviceProcessEvents", []*proto.SortColumn{key("file_size", asc), key("timestamp", desc)}, nil,
			"sort by ['FileSize'] asc nulls last, ['Timestamp'] desc nulls first"},
		{"DeviceProcessEvents", []*proto.SortColumn{key("is_process_remote_session", desc), key("process_id", asc)},
			[]Qual{{Column: "file_name", Op: "~~", Value: "%.exe"}},
			"sort by ['IsProcessRemoteSession'] desc nulls first, ['ProcessId'] asc nulls last"},
		{"DeviceNetworkEvents", []*proto.SortColumn{key("remote_port", asc)}, nil, "sort by ['RemotePort'] asc nulls last"},
		{"DeviceTvmSecureConfigurationAssessment", []*proto.SortColumn{key("configuration_impact", asc)}, nil,
			"sort by isnull(['ConfigurationImpact']) asc, ['ConfigurationImpact'] asc nulls last"},
		{"DeviceTvmSecureConfigurationAssessment", []*proto.SortColumn{key("configuration_impact", desc)}, nil,
			"sort by isnull(['ConfigurationImpact']) desc, ['ConfigurationImpact'] desc nulls first"},
		// The time column first: paged on it, later keys ordered locally.
		{"DeviceProcessEvents", []*proto.SortColumn{key("timestamp", desc), key("process_id", asc)}, nil, "sort by ['Timestamp'] desc"},
		// The time column before another key, not first: one call
		// without a take, reordered locally.
		{"DeviceProcessEvents", []*proto.SortColumn{key("is_process_remote_session", asc), key("timestamp", asc), key("report_id", desc)}, nil,
			"sort by ['IsProcessRemoteSession'] asc nulls last, ['Timestamp'] asc nulls last, ['ReportId'] desc nulls first"},
	} {
		def := schema.Lookup(tc.table)
		for _, limit := range []int64{-1, 5} {
			var names []string
			for _, k := range tc.sort {
				names = append(names, k.Column+" "+k.Order.String())
			}
			t.Run(fmt.Sprintf("%s/%s/limit=%d", tc.table, strings.Join(names, ","), limit), func(t *testing.T) {
				s := Scan{Table: def.SQLName(), Connections: []string{conn}, Quals: tc.quals, Limit: limit, Sort: tc.sort}
				s.Columns = scanColumns(def, tc.quals)
				for _, k := range tc.sort {
					s.Columns = append(s.Columns, k.Column)
				}
				checkSorted(t, def, s, tc.kql)
			})
		}
	}
}

// checkSorted runs s and checks that its rows are Postgres's, in
// Postgres's order by every sort key.
func checkSorted(t *testing.T, def *schema.Table, s Scan, sortKQL string) {
	t.Helper()
	before := len(srv.Calls())
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	got, err := plug.Execute(ctx, s)
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	calls := srv.Calls()[before:]
	if len(calls) == 0 {
		t.Fatal("no call made")
	}
	full := s
	full.Limit, full.Sort = -1, nil
	all := expectWindowed(t, def, full, calls[0].Timespan)
	want := expectWindowed(t, def, s, calls[0].Timespan)
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("got %d rows, want %d (and some)", len(got), len(want))
	}
	for i := range got {
		for _, k := range s.Sort {
			if compareNullsLast(got[i][k.Column], want[i][k.Column]) != 0 {
				t.Fatalf("row %d: %s = %v, want %v", i, k.Column, got[i][k.Column], want[i][k.Column])
			}
		}
	}
	if s.Limit < 0 {
		assertSameRows(t, got, want)
	} else {
		assertSubset(t, got, all)
	}
	if !strings.Contains(calls[0].Query, sortKQL) {
		t.Errorf("first call lacks %q: %s", sortKQL, calls[0].Query)
	}
	timeFirst := s.Sort[0].Column == schema.SnakeCase(def.TimeColumn)
	if !timeFirst && len(calls) != 1 {
		t.Errorf("made %d calls, want one: %v", len(calls), callQueries(calls))
	}
	reordered := false
	for _, k := range s.Sort[:len(s.Sort)-1] {
		reordered = reordered || k.Column == schema.SnakeCase(def.TimeColumn)
	}
	limit, err := plug.fdwLimit(s)
	if err != nil {
		t.Fatal(err)
	}
	wantTake := !timeFirst && limit > 0 && !reordered
	if hasTake := strings.Contains(calls[0].Query, "| take "); !timeFirst && hasTake != wantTake {
		t.Errorf("take in the query: %v, want %v: %s", hasTake, wantTake, calls[0].Query)
	}
}
