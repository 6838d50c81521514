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
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kql"
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
	if p.window.Lower == nil || !p.window.Lower.Time.Equal(t0) || p.window.Lower.Inclusive || p.window.Upper != nil {
		t.Fatalf("window %+v", p.window)
	}
	if got := strings.Join(p.base.Project, ","); got != "Timestamp,DeviceName" {
		t.Fatalf("projection %s", got)
	}
	q, err := p.render(hunting.Slice{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sort by ['Timestamp'] desc", "take 10", "['Timestamp'] >= datetime(2026-11-01T00:00:00.0000010Z)"} {
		if !strings.Contains(q, want) {
			t.Errorf("%q missing from %s", want, q)
		}
	}
}

func TestDeclaredOperators(t *testing.T) {
	for _, tc := range []struct {
		col  schema.Column
		want string
	}{
		{schema.Column{Type: schema.String}, "= <> ~~ !~~ ~~* !~~* is null is not null"},
		{schema.Column{Type: schema.Long}, "= <> < <= > >= is null is not null"},
		{schema.Column{Type: schema.DateTime}, "= <> < <= > >= is null is not null"},
		{schema.Column{Type: schema.Dynamic}, "is null is not null"},
		{schema.Column{Type: schema.String, JSONText: true}, "is null is not null"},
	} {
		if got := strings.Join(sdkOperators(&tc.col), " "); got != tc.want {
			t.Errorf("%s json=%v: %s, want %s", tc.col.Type, tc.col.JSONText, got, tc.want)
		}
	}
	if !declares(&schema.Column{Type: schema.String}, kql.NotIn) {
		t.Error("NOT IN not declared on text")
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
