package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// get sends a GET with a token and decodes the JSON answer.
func (f *fixture) get(rawURL, token string) (int, map[string]any) {
	f.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = f.s.URL() + rawURL
	}
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := f.client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		f.t.Fatalf("GET %s: %d %s", rawURL, resp.StatusCode, raw)
	}
	return resp.StatusCode, body
}

// listAll follows nextLinks and returns every entity and the page count.
func (f *fixture) listAll(path string, q url.Values, token string) ([]map[string]any, int) {
	f.t.Helper()
	next := path
	if len(q) > 0 {
		next += "?" + q.Encode()
	}
	var out []map[string]any
	pages := 0
	for next != "" {
		st, body := f.get(next, token)
		if st != http.StatusOK {
			f.t.Fatalf("GET %s: %d %v", next, st, body)
		}
		pages++
		for _, v := range body["value"].([]any) {
			out = append(out, v.(map[string]any))
		}
		next, _ = body["@odata.nextLink"].(string)
	}
	return out, pages
}

func TestSecurityConsistentWithHunting(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appSec, graphRes)
	incidents, pages := f.listAll("/v1.0/security/incidents", url.Values{"$expand": {"alerts"}}, tok)
	if n := f.s.Data().Rows("AlertInfo"); len(incidents) != n/3 || pages != (n/3+SecurityPageSize-1)/SecurityPageSize {
		t.Fatalf("%d incidents in %d pages for %d alerts", len(incidents), pages, n)
	}
	alertIDs := map[string]bool{}
	scanTable(f.s.Data(), "AlertInfo", func(col func(string) any) { alertIDs[text(col("AlertId"))] = true })
	deviceIDs := map[string]bool{}
	scanTable(f.s.Data(), "DeviceInfo", func(col func(string) any) { deviceIDs[text(col("DeviceId"))] = true })
	seen, devices := 0, 0
	var prev time.Time
	for i, in := range incidents {
		created, _ := time.Parse(time.RFC3339Nano, in["createdDateTime"].(string))
		if i > 0 && created.After(prev) {
			t.Fatalf("incidents are not most recent first")
		}
		prev = created
		for _, a := range in["alerts"].([]any) {
			al := a.(map[string]any)
			if !alertIDs[al["id"].(string)] || al["incidentId"] != in["id"] {
				t.Fatalf("alert %v of incident %v is not an AlertInfo alert of it", al["id"], in["id"])
			}
			seen++
			for _, e := range al["evidence"].([]any) {
				if id, ok := e.(map[string]any)["mdeDeviceId"].(string); ok {
					if !deviceIDs[id] {
						t.Fatalf("evidence device %s is not in DeviceInfo", id)
					}
					devices++
				}
			}
		}
	}
	if seen != len(alertIDs) || devices == 0 {
		t.Fatalf("%d alerts reached through incidents, want %d; %d device evidence", seen, len(alertIDs), devices)
	}
	st, story := f.get("/v1.0/security/incidents/2972000?$expand=alerts", tok)
	if st != 200 || story["status"] != "active" || len(story["alerts"].([]any)) != 3 {
		t.Fatalf("story incident: %d %v", st, story)
	}
}

func TestSecurityFilters(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appSec, graphRes)
	all, _ := f.listAll("/v1.0/security/alerts_v2", nil, tok)
	count := func(pred func(map[string]any) bool) int {
		n := 0
		for _, a := range all {
			if pred(a) {
				n++
			}
		}
		return n
	}
	cut := all[len(all)/2]["createdDateTime"].(string)
	tests := []struct {
		filter string
		pred   func(map[string]any) bool
	}{
		{"status eq 'new'", func(a map[string]any) bool { return a["status"] == "new" }},
		{"status ne 'new'", func(a map[string]any) bool { return a["status"] != "new" }},
		{"severity in ('high','low')", func(a map[string]any) bool { return a["severity"] == "high" || a["severity"] == "low" }},
		{"assignedTo eq 'sean.o''brien@" + DemoDomain + "'", func(a map[string]any) bool { return a["assignedTo"] == "sean.o'brien@"+DemoDomain }},
		{"assignedTo eq null", func(a map[string]any) bool { return a["assignedTo"] == nil }},
		{"classification eq null and status ne 'resolved'", func(a map[string]any) bool { return a["classification"] == nil && a["status"] != "resolved" }},
		{"createdDateTime ge " + cut, func(a map[string]any) bool { return a["createdDateTime"].(string) >= cut }},
		{"createdDateTime lt " + cut + " or serviceSource eq 'microsoftDefenderForOffice365'", func(a map[string]any) bool {
			return a["createdDateTime"].(string) < cut || a["serviceSource"] == "microsoftDefenderForOffice365"
		}},
	}
	for _, tc := range tests {
		got, _ := f.listAll("/v1.0/security/alerts_v2", url.Values{"$filter": {tc.filter}}, tok)
		if want := count(tc.pred); len(got) != want || want == 0 {
			t.Errorf("%s: %d alerts, want %d (of %d)", tc.filter, len(got), want, len(all))
		}
	}
	for _, bad := range []string{
		"title eq 'x'", "status eq 'Active'", "startswith(assignedTo,'a')", "createdDateTime in (2024-01-01T00:00:00Z)",
		"status gt 'new'", "createdDateTime ge 'yesterday'", "status eq 'new",
	} {
		st, body := f.get("/v1.0/security/alerts_v2?"+url.Values{"$filter": {bad}}.Encode(), tok)
		e, _ := body["error"].(map[string]any)
		if st != http.StatusBadRequest || e["code"] != codeBadRequest {
			t.Errorf("%s: %d %v, want 400 BadRequest", bad, st, body)
		}
	}
	if st, _ := f.get("/v1.0/security/incidents?$top=51", tok); st != http.StatusBadRequest {
		t.Errorf("$top=51 on incidents: %d, want 400", st)
	}
	st, body := f.get("/v1.0/security/alerts_v2?$top=7&$count=true&$skip=3", tok)
	if st != 200 || len(body["value"].([]any)) != 7 || body["@odata.count"] != float64(len(all)) || body["@odata.nextLink"] == nil {
		t.Errorf("$top/$count/$skip: %d %v", st, body["@odata.count"])
	}
}

func TestSecurityPermissionsAndMissing(t *testing.T) {
	f := newFixture(t)
	hunting := f.token(appGraph, graphRes)
	for path, perm := range map[string]string{
		"/v1.0/security/incidents": PermIncidents, "/v1.0/security/alerts_v2": PermAlerts,
		"/v1.0/security/secureScores": PermScores, "/v1.0/security/secureScoreControlProfiles": PermScores,
	} {
		st, body := f.get(path, hunting)
		if msg, _ := body["error"].(map[string]any)["message"].(string); st != http.StatusForbidden || !strings.Contains(msg, perm) {
			t.Errorf("%s without %s: %d %v", path, perm, st, body)
		}
	}
	tok := f.token(appSec, graphRes)
	if st, body := f.get("/v1.0/security/incidents/999", tok); st != http.StatusNotFound {
		t.Errorf("missing incident: %d %v", st, body)
	}
	scores, _ := f.listAll("/v1.0/security/secureScores", nil, tok)
	profiles, _ := f.listAll("/v1.0/security/secureScoreControlProfiles", nil, tok)
	if len(scores) != 90 || len(profiles) != len(controls) {
		t.Errorf("%d scores, %d profiles", len(scores), len(profiles))
	}
}
