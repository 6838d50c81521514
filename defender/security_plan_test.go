package defender

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
)

// TestSecurityKeyColumnsAreTimeColumns checks the declaration that keeps
// the FDW from building join paths that drop conditions: no Get config,
// only the time columns as key columns with the range operators, and the
// SDK's query cache off.
func TestSecurityKeyColumnsAreTimeColumns(t *testing.T) {
	for _, st := range securityTables {
		pt := st.pluginTable()
		if pt.Get != nil {
			t.Errorf("%s has a Get config", st.name)
		}
		if pt.Cache == nil || pt.Cache.Enabled {
			t.Errorf("%s: the SDK's query cache must be off", st.name)
		}
		var want, got []string
		for _, c := range st.columns {
			if c.filter == timeFilter {
				want = append(want, c.sqlName())
			}
		}
		for _, kc := range pt.List.KeyColumns {
			got = append(got, kc.Name)
			if ops := strings.Join(kc.Operators, " "); ops != "< <= > >=" {
				t.Errorf("%s.%s operators %s", st.name, kc.Name, ops)
			}
			if kc.Require != plugin.Optional || kc.CacheMatch != "exact" {
				t.Errorf("%s.%s: require %s, cache match %s", st.name, kc.Name, kc.Require, kc.CacheMatch)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s key columns %v, want its time columns %v", st.name, got, want)
		}
	}
	if got := len(alertTable.pluginTable().List.KeyColumns); got != 2 {
		t.Errorf("defender_alert has %d key columns, want created_date_time and last_update_date_time", got)
	}
}

func timeVal(t time.Time) *proto.QualValue {
	return &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(t)}}
}

func item(kv ...string) graphsec.Item {
	it := graphsec.Item{}
	for i := 0; i < len(kv); i += 2 {
		b, _ := json.Marshal(kv[i+1])
		it[kv[i]] = b
	}
	return it
}

func securityPlanFor(t *testing.T, st *securityTable, unsafe map[string][]*proto.Qual, limit int64) *securityPlan {
	t.Helper()
	p, err := newSecurityPlan(st, queryData(unsafe, nil, []string{"id"}, limit))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSecurityPlanFilterAndChecks(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	p := securityPlanFor(t, alertTable, map[string][]*proto.Qual{
		"status":            {qual("status", "=", listVal(strVal("new"), strVal("resolved")))},
		"created_date_time": {qual("created_date_time", ">=", timeVal(t0))},
		"assigned_to":       {qual("assigned_to", "is null", nil)},
		"title":             {qual("title", "=", strVal("x"))},
		"tenant_id":         {qual("tenant_id", "=", strVal("t"))},
	}, -1)
	want := "(createdDateTime ge 2026-10-31T23:59:59.9999995Z) and ((status eq 'new') or (status eq 'resolved'))"
	if p.filter != want || p.none || p.byID {
		t.Fatalf("filter %q none %v byID %v, want %q", p.filter, p.none, p.byID, want)
	}
	if len(p.checks) != 3 {
		t.Fatalf("%d checks, want 3 (title is Postgres's)", len(p.checks))
	}
	ok := item("status", "new", "createdDateTime", "2026-11-02T00:00:00Z")
	if !p.holds(ok) {
		t.Error("a matching alert fails the checks")
	}
	for _, bad := range []graphsec.Item{
		item("status", "New", "createdDateTime", "2026-11-02T00:00:00Z"),
		item("status", "new", "createdDateTime", "2026-10-31T23:59:59.9999994Z"),
		item("status", "new", "createdDateTime", "2026-11-02T00:00:00Z", "assignedTo", "a@b"),
	} {
		if p.holds(bad) {
			t.Errorf("%v passes the checks", bad)
		}
	}
	// 23:59:59.9999996 is stored as midnight, so it holds.
	if !p.holds(item("status", "new", "createdDateTime", "2026-10-31T23:59:59.9999996Z")) {
		t.Error("a time Postgres rounds up to the bound fails")
	}
}

// TestSecurityGarbledQuals checks the shapes the FDW garbles: they are
// neither sent nor checked (Postgres rechecks them), never read as
// matching nothing, and with a LIMIT they are an error naming the column.
func TestSecurityGarbledQuals(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		col  string
		q    *proto.Qual
	}{
		{"empty list", "status", qual("status", "=", listVal())},
		{"empty list on id", "id", qual("id", "=", listVal())},
		{"range with a list", "created_date_time", qual("created_date_time", ">", listVal(timeVal(t0), timeVal(t0.Add(time.Hour))))},
		{"<> list", "severity", qual("severity", "<>", listVal(strVal("low"), strVal("high")))},
		{"like", "status", qual("status", "~~", strVal("n%"))},
		{"range on text", "severity", qual("severity", "<", strVal("low"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unsafe := map[string][]*proto.Qual{tc.col: {tc.q}}
			p := securityPlanFor(t, alertTable, unsafe, -1)
			if p.none || p.byID || p.filter != "" || len(p.checks) != 0 {
				t.Fatalf("plan %+v, want a full scan with no checks", p)
			}
			_, err := newSecurityPlan(alertTable, queryData(unsafe, nil, []string{"id"}, 5))
			if err == nil || !strings.Contains(err.Error(), tc.col) || !strings.Contains(err.Error(), "LIMIT") {
				t.Fatalf("with a LIMIT: %v", err)
			}
		})
	}
	// A <> list of one value means the same with ANY and ALL.
	p := securityPlanFor(t, alertTable, map[string][]*proto.Qual{"severity": {qual("severity", "<>", listVal(strVal("low")))}}, 5)
	if len(p.checks) != 1 || p.holds(item("severity", "low")) || !p.holds(item("severity", "high")) || p.holds(item()) {
		t.Fatalf("<> one value: %+v", p.checks)
	}
	// A comparison with NULL never holds.
	p = securityPlanFor(t, alertTable, map[string][]*proto.Qual{"status": {qual("status", "=", nil)}}, -1)
	if !p.none {
		t.Fatal("status = NULL must make no call")
	}
}

func TestSecurityPlanGetByID(t *testing.T) {
	p := securityPlanFor(t, incidentTable, map[string][]*proto.Qual{
		"id":     {qual("id", "=", listVal(strVal("1"), strVal("2")))},
		"status": {qual("status", "=", strVal("active"))},
	}, -1)
	if !p.byID || strings.Join(p.ids, ",") != "1,2" {
		t.Fatalf("byID %v ids %v", p.byID, p.ids)
	}
	if !p.holds(item("id", "1", "status", "active")) || p.holds(item("id", "1", "status", "resolved")) || p.holds(item("id", "3", "status", "active")) {
		t.Fatal("the other conditions must be checked on each entity")
	}
	// Secure scores have no GET by id: id is only checked.
	p = securityPlanFor(t, secureScoreTable, map[string][]*proto.Qual{"id": {qual("id", "=", strVal("x"))}}, -1)
	if p.byID || len(p.checks) != 1 {
		t.Fatalf("secure score id: byID %v, %d checks", p.byID, len(p.checks))
	}
}

// TestSecuritySplitCopy checks that of the copies the SDK makes for a list
// on a time key column, only the first runs.
func TestSecuritySplitCopy(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	list := listVal(timeVal(t0), timeVal(t0.Add(time.Hour)))
	unsafe := map[string][]*proto.Qual{"created_date_time": {qual("created_date_time", ">", list)}}
	ran := 0
	for _, v := range list.GetListValue().Values {
		kq := plugin.KeyColumnQualMap{"created_date_time": &plugin.KeyColumnQuals{Name: "created_date_time",
			Quals: quals.QualSlice{{Column: "created_date_time", Operator: "=", Value: v}}}}
		p, err := newSecurityPlan(alertTable, queryData(unsafe, kq, []string{"id"}, -1))
		if err != nil {
			t.Fatal(err)
		}
		if !p.none {
			ran++
			if p.filter != "" || len(p.checks) != 0 {
				t.Fatalf("the running copy sends %q with %d checks", p.filter, len(p.checks))
			}
		}
	}
	if ran != 1 {
		t.Fatalf("%d copies ran, want 1", ran)
	}
}
