package defender

import (
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

func strVal(s string) *proto.QualValue {
	return &proto.QualValue{Value: &proto.QualValue_StringValue{StringValue: s}}
}

func listVal(vs ...*proto.QualValue) *proto.QualValue {
	return &proto.QualValue{Value: &proto.QualValue_ListValue{ListValue: &proto.QualValueList{Values: vs}}}
}

func qual(col, op string, v *proto.QualValue) *proto.Qual {
	return &proto.Qual{FieldName: col, Operator: &proto.Qual_StringValue{StringValue: op}, Value: v}
}

// queryData builds the QueryData a List call sees: d.Quals as given, and
// the FDW's quals in UnsafeQuals.
func queryData(unsafe map[string][]*proto.Qual, keyQuals plugin.KeyColumnQualMap, cols []string, limit int64) *plugin.QueryData {
	u := map[string]*proto.Quals{}
	for c, qs := range unsafe {
		u[c] = &proto.Quals{Quals: qs}
	}
	qc := &plugin.QueryContext{UnsafeQuals: u, Columns: cols}
	if limit >= 0 {
		qc.Limit = &limit
	}
	return &plugin.QueryData{Quals: keyQuals, QueryContext: qc}
}

func processTable() *table { return newTable(schema.Lookup("DeviceProcessEvents")) }

// TestINListIsOneCall checks that of the copies the SDK makes for an IN
// list, only the one for the first value runs, and it runs the whole list.
func TestINListIsOneCall(t *testing.T) {
	tb := processTable()
	list := listVal(strVal("a.exe"), strVal("b.exe"), strVal("c.exe"))
	unsafe := map[string][]*proto.Qual{"file_name": {qual("file_name", "=", list)}}
	ran := 0
	for _, v := range []string{"a.exe", "b.exe", "c.exe"} {
		kq := plugin.KeyColumnQualMap{"file_name": &plugin.KeyColumnQuals{Name: "file_name", Quals: quals.QualSlice{{Column: "file_name", Operator: "=", Value: strVal(v)}}}}
		p, err := newPlan(tb, queryData(unsafe, kq, []string{"file_name"}, -1))
		if err != nil {
			t.Fatal(err)
		}
		if p.none {
			continue
		}
		ran++
		q, err := p.render(hunting.Slice{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(q, `['FileName'] in ("a.exe", "b.exe", "c.exe")`) {
			t.Fatalf("the running copy does not query the whole list: %s", q)
		}
	}
	if ran != 1 {
		t.Fatalf("%d copies ran, want 1", ran)
	}
}

// TestNotINIsNotSplit checks NOT IN is read from the FDW's quals, not from
// the SDK's split copies, which turn it into =.
func TestNotINIsNotSplit(t *testing.T) {
	tb := processTable()
	list := listVal(strVal("a.exe"), strVal("b.exe"))
	unsafe := map[string][]*proto.Qual{"file_name": {qual("file_name", "<>", list)}}
	kq := plugin.KeyColumnQualMap{"file_name": &plugin.KeyColumnQuals{Name: "file_name", Quals: quals.QualSlice{{Column: "file_name", Operator: "=", Value: strVal("a.exe")}}}}
	p, err := newPlan(tb, queryData(unsafe, kq, []string{"file_name"}, -1))
	if err != nil || p.none {
		t.Fatalf("plan: %v none=%v", err, p.none)
	}
	q, _ := p.render(hunting.Slice{}, 0)
	if !strings.Contains(q, `['FileName'] !in ("a.exe", "b.exe")`) || strings.Contains(q, `== "a.exe"`) {
		t.Fatalf("NOT IN not rendered as !in: %s", q)
	}
}

func TestQualWithoutValueMakesNoCall(t *testing.T) {
	tb := processTable()
	unsafe := map[string][]*proto.Qual{"file_name": {qual("file_name", "=", nil)}}
	p, err := newPlan(tb, queryData(unsafe, nil, []string{"file_name"}, -1))
	if err != nil || !p.none {
		t.Fatalf("plan: %v none=%v", err, p.none)
	}
}

func TestPlanProjectionOrderAndWindow(t *testing.T) {
	tb := processTable()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ts := &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(t0)}}
	unsafe := map[string][]*proto.Qual{"timestamp": {qual("timestamp", ">", ts)}, "tenant_id": {qual("tenant_id", "=", strVal("x"))}}
	d := queryData(unsafe, nil, []string{"device_name", "tenant_id"}, 10)
	d.QueryContext.SortOrder = []*plugin.SortColumn{{Column: "timestamp", Order: plugin.SortDesc}}
	p, err := newPlan(tb, d)
	if err != nil {
		t.Fatal(err)
	}
	if p.order != hunting.Desc || p.limit != 10 {
		t.Fatalf("order %v limit %d", p.order, p.limit)
	}
	// timestamp > t0 holds for rows Postgres stores after t0: from the
	// first tick that rounds to t0 + 1µs.
	lo := pgtime.Lowest(t0.Add(time.Microsecond))
	if p.window.Lower == nil || !p.window.Lower.Time.Equal(lo) || !p.window.Lower.Inclusive || p.window.Upper != nil {
		t.Fatalf("window %+v, want from %s inclusive", p.window, lo)
	}
	if got := strings.Join(p.base.Project, ","); got != "Timestamp,DeviceName" {
		t.Fatalf("projection %s", got)
	}
	q, err := p.render(hunting.Slice{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sort by ['Timestamp'] desc", "take 10", "['Timestamp'] >= datetime(" + lo.Format("2006-01-02T15:04:05.0000000Z") + ")"} {
		if !strings.Contains(q, want) {
			t.Errorf("%q missing from %s", want, q)
		}
	}
}

// TestOnlyTheTimeColumnIsAKeyColumn checks the declaration that keeps the
// FDW from building join paths that drop conditions, and that the SDK's
// query cache, which keys only on key columns, is off.
func TestOnlyTheTimeColumnIsAKeyColumn(t *testing.T) {
	pt := processTable().pluginTable()
	kcs := pt.List.KeyColumns
	if len(kcs) != 1 || kcs[0].Name != "timestamp" || kcs[0].CacheMatch != "exact" {
		t.Fatalf("key columns %+v, want timestamp alone with exact cache match", kcs)
	}
	if got := strings.Join(kcs[0].Operators, " "); got != "< <= > >= is null is not null" {
		t.Errorf("timestamp operators %s", got)
	}
	if pt.Cache == nil || pt.Cache.Enabled {
		t.Error("the SDK's query cache must be off for hunting tables")
	}
}

// TestGarbledQuals checks each qual shape the FDW garbles: without a LIMIT
// it is sent as a superset of every reading, or not sent; with a LIMIT it
// is an error naming the column and a rewrite.
func TestGarbledQuals(t *testing.T) {
	tb := newTable(schema.Lookup("DeviceInfo"))
	boolVal := &proto.QualValue{Value: &proto.QualValue_BoolValue{BoolValue: true}}
	ts := &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))}}
	for _, tc := range []struct {
		name    string
		col     string
		q       *proto.Qual
		kql     string // in the KQL without a LIMIT; "" when not sent
		rewrite string // in the error with a LIMIT
	}{
		{"is not true", "is_internet_facing", qual("is_internet_facing", "<>", boolVal), "(isnull(['IsInternetFacing']) or ['IsInternetFacing'] != true)", "is_internet_facing = false"},
		{"array parameter", "device_name", qual("device_name", "=", listVal()), "", "device_name in (select"},
		{"like any or all", "device_name", qual("device_name", "~~", listVal(strVal("ws-%"), strVal("%-01"))), `startswith_cs "ws-"`, "device_name like 'a' or"},
		{"range list", "timestamp", qual("timestamp", ">", listVal(ts)), "", "least("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unsafe := map[string][]*proto.Qual{tc.col: {tc.q}}
			p, err := newPlan(tb, queryData(unsafe, nil, []string{"device_id"}, -1))
			if err != nil || p.none {
				t.Fatalf("without a limit: %v, none=%v", err, p.none)
			}
			q, err := p.render(hunting.Slice{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			col := "['" + tb.columns[tc.col].Name + "']"
			if tc.kql == "" && strings.Contains(q, "where") && strings.Contains(q, col) {
				t.Errorf("sent a condition that has no reading to send: %s", q)
			}
			if tc.kql != "" && !strings.Contains(q, tc.kql) {
				t.Errorf("%q missing from %s", tc.kql, q)
			}
			_, err = newPlan(tb, queryData(unsafe, nil, []string{"device_id"}, 5))
			if err == nil || !strings.Contains(err.Error(), tc.col) || !strings.Contains(err.Error(), tc.rewrite) {
				t.Errorf("with a limit: got %v, want an error naming %s and %q", err, tc.col, tc.rewrite)
			}
		})
	}
}

func TestIncompatibleValueIsAClearError(t *testing.T) {
	tb := processTable()
	unsafe := map[string][]*proto.Qual{"process_id": {qual("process_id", "=", strVal("12"))}}
	_, err := newPlan(tb, queryData(unsafe, nil, []string{"process_id"}, -1))
	if err == nil || !strings.Contains(err.Error(), "process_id") {
		t.Fatalf("got %v", err)
	}
}

func TestTenantColumnRename(t *testing.T) {
	tb := newTable(schema.Lookup("IdentityInfo"))
	if tb.columns["defender_tenant_id"] == nil || tb.columns["tenant_id"] != nil {
		t.Fatal("Defender's TenantId must be defender_tenant_id")
	}
}

// TestFilterOperators checks what defender-sql may push on a column that
// is not a key column, for hunting and current-state tables alike.
func TestFilterOperators(t *testing.T) {
	for _, tc := range []struct{ table, column, want string }{
		{"defender_device_process_events", "file_name", "= <> ~~ !~~ ~~* !~~* is null is not null"},
		{"defender_device_process_events", "process_id", "= <> < <= > >= is null is not null"},
		{"defender_device_process_events", "additional_fields", "is null is not null"},
		{"defender_device", "os_platform", "= <> ~~ !~~ ~~* !~~* is null is not null"},
		{"defender_device", "no_such_column", ""},
		{"no_such_table", "os_platform", ""},
	} {
		if got := strings.Join(FilterOperators(tc.table, tc.column), " "); got != tc.want {
			t.Errorf("%s.%s: %q, want %q", tc.table, tc.column, got, tc.want)
		}
	}
}
