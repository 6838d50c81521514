package pgbed

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"
)

// planted is what the simulator's posture story (internal/sim/dataset,
// posture.go) plants for each control: the status of the resource whose
// reason starts with the device's short name or the account's UPN.
var planted = map[string]map[string]string{
	"device_onboarded":                    {"ws-eng-117.": "ok", "ws-hr-003.": "alarm"},
	"device_sensor_active":                {"ws-it-002.": "ok", "ws-fin-014.": "alarm", "dc-01.": "alarm", "ws-hr-003.": "skip"},
	"device_seen_recently":                {"ws-it-002.": "ok", "lt-mkt-019.": "alarm"},
	"device_os_supported":                 {"ws-eng-117.": "ok", "ws-hr-003.": "alarm"},
	"device_exposure_not_high":            {"ws-exec-001.": "ok", "web-lnx-01.": "alarm"},
	"device_network_no_teredo":            {"ws-it-002.": "ok", "ws-sales-031.": "alarm"},
	"vulnerability_critical_with_exploit": {"dc-01.": "ok", "web-lnx-01.": "alarm", "ws-hr-003.": "alarm"},
	"vulnerability_open_too_long":         {"dc-01.": "ok", "web-lnx-01.": "alarm"},
	"vulnerability_cvss_above_threshold":  {"dc-01.": "ok", "build-lnx-02.": "alarm"},
	"secure_config_critical_passing":      {"ws-it-002.": "ok", "ws-fin-014.": "alarm"},
	"baseline_cis_passing":                {"ws-it-002.": "ok", "ws-fin-014.": "alarm"},
	"baseline_stig_passing":               {"ws-it-002.": "ok", "build-lnx-02.": "alarm"},
	"antivirus_active_mode":               {"ws-it-002.": "ok", "ws-ops-012.": "alarm"},
	"antivirus_signatures_current":        {"ws-it-002.": "ok", "sql-01.": "alarm"},
	"identity_risk_level":                 {"hannah.schmidt@": "ok", "priya.raman@": "alarm"},
	"identity_not_compromised":            {"priya.raman@": "ok", "marcus.hall@": "alarm"},
}

// statuses a control may return.
var statuses = map[string]bool{"ok": true, "alarm": true, "info": true, "skip": true, "error": true}

// TestControls runs every control of the posture mod in PostgreSQL over
// the rows the plugin returns, with its params bound to their defaults,
// and checks the shape of its rows and the statuses planted for it.
func TestControls(t *testing.T) {
	b := needBed(t)
	m := loadMod(t)
	names := make([]string, 0, len(m.controls))
	for n := range m.controls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			sql, err := m.controls[name].boundSQL()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rows, err := b.Query(ctx, sql)
			if err != nil {
				t.Fatalf("%v\n%s", err, sql)
			}
			count := map[string]int{}
			for _, r := range rows {
				for _, col := range []string{"resource", "status", "reason", "tenant_id", "sp_connection_name"} {
					if _, ok := r[col]; !ok {
						t.Fatalf("no column %s in %v", col, r)
					}
				}
				st, _ := r["status"].(string)
				if !statuses[st] {
					t.Fatalf("status %q in %v", st, r)
				}
				if r["resource"] == nil || r["reason"] == nil || r["tenant_id"] == nil || r["sp_connection_name"] == nil {
					t.Errorf("null resource, reason or dimension in %v", r)
				}
				count[st]++
			}
			if count["ok"] == 0 || count["alarm"] == 0 {
				t.Errorf("statuses %v: the data must hold an ok and an alarm resource", count)
			}
			want := planted[name]
			if want == nil {
				t.Fatal("no planted statuses declared for this control")
			}
			for prefix, st := range want {
				found := false
				for _, r := range rows {
					if reason, _ := r["reason"].(string); strings.HasPrefix(reason, prefix) {
						found = true
						if r["status"] != st {
							t.Errorf("%s…: status %v, want %s (%s)", prefix, r["status"], st, reason)
						}
					}
				}
				if !found {
					t.Errorf("no row for %s…", prefix)
				}
			}
			t.Logf("%d rows: %v", len(rows), count)
		})
	}
}
