package sqlvtab_test

import (
	"context"
	"strings"
	"testing"
)

// drainFaults runs cheap statements until the simulator's queued faults
// are used up, so later tests see a healthy tenant.
func drainFaults(t *testing.T) {
	t.Helper()
	for range 20 {
		if _, _, err := db.QueryAll(context.Background(), "select count(*) from "+tV); err == nil {
			return
		}
	}
	t.Fatal("the simulator keeps failing")
}

func TestAPIErrorReachesCaller(t *testing.T) {
	srv.Faults().FailNext(400, 1)
	defer drainFaults(t)
	_, _, err := db.QueryAll(context.Background(), "select device_name, timestamp from "+tP+" where device_name is not null")
	if err == nil {
		t.Fatal("statement succeeded although the API failed")
	}
	msg := err.Error()
	if strings.Contains(msg, "SQL logic error") || !strings.Contains(msg, tP) {
		t.Errorf("error lost its text: %q", msg)
	}
	t.Logf("error: %s", msg)
}

func TestKQLErrorReachesCaller(t *testing.T) {
	_, _, err := db.QueryAll(context.Background(), "select data from defender_hunting_query where query = 'DeviceInfo | no_such_operator 3'")
	if err == nil {
		t.Fatal("a bad KQL query succeeded")
	}
	if msg := err.Error(); strings.Contains(msg, "SQL logic error") || !strings.Contains(msg, "defender_hunting_query") {
		t.Errorf("error lost its text: %q", msg)
	}
}

// TestHuntingQueryFunction uses the hidden key columns of
// defender_hunting_query as table-valued function arguments.
func TestHuntingQueryFunction(t *testing.T) {
	ctx := context.Background()
	cols, rows, err := db.QueryAll(ctx, "select * from defender_hunting_query('DeviceInfo | take 3 | project DeviceName')")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "row_number,data,tenant_id" {
		t.Errorf("select * columns %v: query and timespan should be hidden", cols)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for _, r := range rows {
		if s, _ := r[1].(string); !strings.Contains(s, "DeviceName") {
			t.Errorf("data %v is not the row's JSON", r[1])
		}
	}
	_, rows, err = db.QueryAll(ctx, "select query, timespan, json_extract(data, '$.n') from defender_hunting_query('DeviceInfo | take 1 | project n = 7', 'P1D')")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != "DeviceInfo | take 1 | project n = 7" || rows[0][1] != "P1D" || rows[0][2] != int64(7) {
		t.Errorf("rows %v", rows)
	}
}

// TestHiddenSDKColumns checks that the SDK's own columns stay out of
// select * but can be named.
func TestHiddenSDKColumns(t *testing.T) {
	ctx := context.Background()
	cols, _, err := db.QueryAll(ctx, "select * from "+tV+" limit 1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c == "sp_connection_name" || c == "sp_ctx" || c == "_ctx" {
			t.Errorf("select * includes %s", c)
		}
	}
	_, rows, err := db.QueryAll(ctx, "select distinct sp_connection_name from "+tV)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0][0] != "defender" {
		t.Errorf("sp_connection_name: %v", rows)
	}
}
