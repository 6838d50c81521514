package e2e

import (
	"context"
	"strings"
	"testing"
)

// TestHuntingQuery runs a user's own KQL through defender_hunting_query:
// one row per result row, numbered from 1, with the row as JSON.
func TestHuntingQuery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	kql := "DeviceInfo | summarize devices = dcount(DeviceId) by OSPlatform | sort by OSPlatform asc"
	rows, err := plug.Execute(ctx, Scan{
		Table: "defender_hunting_query", Connections: []string{conn}, Limit: -1,
		Columns: []string{"query", "row_number", "data", "tenant_id"},
		Quals:   []Qual{{Column: "query", Op: "=", Value: kql}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("got %d rows", len(rows))
	}
	seen := map[int64]bool{}
	for _, r := range rows {
		n, _ := r["row_number"].(int64)
		if n < 1 || n > int64(len(rows)) || seen[n] {
			t.Fatalf("bad row_number %v", r["row_number"])
		}
		seen[n] = true
		data, _ := r["data"].(JSON)
		if !strings.Contains(string(data), `"devices":`) || !strings.Contains(string(data), `"OSPlatform":`) {
			t.Fatalf("data %s", data)
		}
		if r["query"] != kql || r["tenant_id"] != srv.Tenant() {
			t.Fatalf("query/tenant not echoed: %v", r)
		}
	}
}

// TestKQLErrorIsClear checks that Defender's rejection of a query reaches
// the user as one line naming the failure and the KQL that was sent.
func TestKQLErrorIsClear(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	kql := "DeviceInfo | where NoSuchColumn == 1"
	_, err := plug.Execute(ctx, Scan{
		Table: "defender_hunting_query", Connections: []string{conn}, Limit: -1,
		Columns: []string{"data"}, Quals: []Qual{{Column: "query", Op: "=", Value: kql}},
	})
	if err == nil {
		t.Fatal("no error for an unknown column")
	}
	msg := err.Error()
	for _, want := range []string{"400", "NoSuchColumn", kql} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans several lines: %q", msg)
	}
}
