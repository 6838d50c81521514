package sim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUnauthorized(t *testing.T) {
	f := newFixture(t)
	graphTok := f.token(appAll, graphRes)
	mdeTok := f.token(appAll, mdeRes)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	tests := []struct {
		name, path, token, code string
	}{
		{"graph, no token", graphPath, "", "InvalidAuthenticationToken"},
		{"graph, garbage", graphPath, "not-a-jwt", "InvalidAuthenticationToken"},
		{"graph, tampered", graphPath, graphTok[:len(graphTok)-4] + "AAAA", "InvalidAuthenticationToken"},
		{"graph, MDE audience", graphPath, mdeTok, "InvalidAuthenticationToken"},
		{"mde, no token", mdePath, "", "Unauthorized"},
		{"mde, Graph audience", mdePath, graphTok, "Unauthorized"},
	}
	for _, tc := range tests {
		r := f.post(tc.path, tc.token, body)
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s: status %d: %s", tc.name, r.status, r.body)
			continue
		}
		code := mdeErr(t, r.body).Error.Code
		if tc.path == graphPath {
			code = graphErr(t, r.body).Error.Code
		}
		if code != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, code, tc.code)
		}
		if tc.token != "" && strings.Contains(string(r.body), tc.token) {
			t.Errorf("%s: the answer quotes the token", tc.name)
		}
	}
	// Basic auth is not a bearer token.
	req, _ := http.NewRequest(http.MethodPost, f.s.URL()+graphPath, strings.NewReader(`{"Query":"DeviceInfo"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(testApps[appAll].id, testApps[appAll].secret)
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("basic auth: status %d", resp.StatusCode)
	}
}

func TestExpiredToken(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
		t.Fatalf("fresh token: status %d: %s", r.status, r.body)
	}
	f.clock.Advance(2 * time.Hour)
	r := f.post(graphPath, tok, body)
	if r.status != http.StatusUnauthorized || graphErr(t, r.body).Error.Code != "InvalidAuthenticationToken" {
		t.Errorf("expired token: status %d: %s", r.status, r.body)
	}
}

func TestForbidden(t *testing.T) {
	f := newFixture(t)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	for _, tc := range []struct {
		name          string
		app           int
		path, res     string
		wantPermNamed string
	}{
		{"graph without role", appNone, graphPath, graphRes, "ThreatHunting.Read.All"},
		{"mde without role", appNone, mdePath, mdeRes, "AdvancedQuery.Read.All"},
		{"mde with only the Graph role", appGraph, mdePath, mdeRes, "AdvancedQuery.Read.All"},
	} {
		tok := f.token(tc.app, tc.res)
		r := f.post(tc.path, tok, body)
		if r.status != http.StatusForbidden {
			t.Errorf("%s: status %d: %s", tc.name, r.status, r.body)
			continue
		}
		msg := mdeErr(t, r.body).Error.Message
		if tc.path == graphPath {
			msg = graphErr(t, r.body).Error.Message
		}
		if !strings.Contains(msg, tc.wantPermNamed) {
			t.Errorf("%s: message %q does not name %s", tc.name, msg, tc.wantPermNamed)
		}
		if strings.Contains(string(r.body), tok) || strings.Contains(string(r.body), testApps[tc.app].secret) {
			t.Errorf("%s: the answer quotes a credential", tc.name)
		}
	}
}
