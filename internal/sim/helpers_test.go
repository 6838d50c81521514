package sim

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/entra"
)

// t0 is the simulated "now" of the tests: 7.5 minutes into a 15-minute
// CPU cycle.
var t0 = time.Date(2026, 5, 10, 12, 7, 30, 0, time.UTC)

const (
	graphPath = "/v1.0/security/runHuntingQuery"
	mdePath   = "/api/advancedqueries/run"
	graphRes  = "https://graph.microsoft.com"
	mdeRes    = "https://api.securitycenter.microsoft.com"
	otherTen  = "0b7f3c2d-9e41-4a6b-8c5d-1e2f3a4b5c6d"
)

// testApps are the registrations the tests sign in with.
var testApps = []struct {
	id, secret, tenant string
	roles              []string
}{
	{"11111111-1111-4111-8111-111111111111", "secret-all", "", []string{
		graphRes + "/" + permGraph, mdeRes + "/" + permMDEApp}},
	{"22222222-2222-4222-8222-222222222222", "secret-none", "", nil},
	{"33333333-3333-4333-8333-333333333333", "secret-graph", "", []string{graphRes + "/" + permGraph}},
	{"44444444-4444-4444-8444-444444444444", "secret-other", otherTen, []string{graphRes + "/" + permGraph}},
	{"55555555-5555-4555-8555-555555555555", "secret-security", "", []string{
		graphRes + "/" + PermIncidents, graphRes + "/" + PermAlerts, graphRes + "/" + PermScores}},
}

const (
	appAll   = 0
	appNone  = 1
	appGraph = 2
	appOther = 3
	appSec   = 4
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a started simulator with a test clock and a client that
// trusts its CA.
type fixture struct {
	t      *testing.T
	s      *Server
	clock  *clock
	client *http.Client
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := &clock{t: t0}
	var apps []entra.App
	for _, a := range testApps {
		tenant := a.tenant
		if tenant == "" {
			tenant = DemoTenant
		}
		apps = append(apps, entra.App{ClientID: a.id, Tenant: tenant, Secrets: []string{a.secret}, Roles: a.roles})
	}
	s, err := Start(Config{
		Now:  c.Now,
		Data: dataset.Options{Seed: 7, Now: t0, Rows: 300},
		Apps: apps,
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}
	t.Cleanup(tr.CloseIdleConnections)
	return &fixture{t: t, s: s, clock: c, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// token gets an access token for app and resource with a client
// credentials form POST to the simulator's Entra token endpoint.
func (f *fixture) token(app int, resource string) string {
	f.t.Helper()
	a := testApps[app]
	tenant := a.tenant
	if tenant == "" {
		tenant = DemoTenant
	}
	resp, err := f.client.PostForm(f.s.URL()+"/"+tenant+"/oauth2/v2.0/token", url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {a.id},
		"client_secret": {a.secret},
		"scope":         {resource + "/.default"},
	})
	if err != nil {
		f.t.Fatalf("token request: %v", err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != 200 || tok.AccessToken == "" {
		f.t.Fatalf("token: status %d, err %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

// reply is a hunting API answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// post sends body (marshalled unless it is a string) as JSON.
func (f *fixture) post(path, token string, body any) reply {
	f.t.Helper()
	return f.postType(path, token, "application/json", body)
}

func (f *fixture) postType(path, token, contentType string, body any) reply {
	f.t.Helper()
	r, err := f.try(path, token, contentType, body)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// try is post without failing the test, for use off the test goroutine.
func (f *fixture) try(path, token, contentType string, body any) (reply, error) {
	raw, ok := body.(string)
	if !ok {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		raw = string(b)
	}
	req, err := http.NewRequest(http.MethodPost, f.s.URL()+path, strings.NewReader(raw))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("client-request-id", "c0ffee00-0000-4000-8000-000000000001")
	resp, err := f.client.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("POST %s: reading body: %w", path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// graph runs a Graph hunting query with the all-permissions app and
// insists on 200.
func (f *fixture) graph(query, timespan string) graphResult {
	f.t.Helper()
	body := map[string]string{"Query": query}
	if timespan != "" {
		body["Timespan"] = timespan
	}
	r := f.post(graphPath, f.token(appAll, graphRes), body)
	if r.status != http.StatusOK {
		f.t.Fatalf("query %q: status %d: %s", query, r.status, r.body)
	}
	return decodeGraph(f.t, r.body)
}

// graphResult is a decoded Graph answer; numbers stay json.Number.
type graphResult struct {
	context string
	schema  []map[string]string
	results []map[string]any
}

// decodeGraph decodes a Graph answer, insisting on its exact member
// names.
func decodeGraph(t *testing.T, body []byte) graphResult {
	t.Helper()
	top := decodeObject(t, body)
	for _, k := range []string{"@odata.context", "schema", "results"} {
		if _, ok := top[k]; !ok {
			t.Fatalf("answer lacks %q: %s", k, trim(body))
		}
	}
	if len(top) != 3 {
		t.Fatalf("answer has %d members, want 3: %s", len(top), trim(body))
	}
	var g graphResult
	mustUnmarshal(t, top["@odata.context"], &g.context)
	mustUnmarshal(t, top["schema"], &g.schema)
	mustUnmarshal(t, top["results"], &g.results)
	return g
}

func decodeObject(t *testing.T, body []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	mustUnmarshal(t, body, &m)
	return m
}

func mustUnmarshal(t *testing.T, raw []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		t.Fatalf("decoding %s: %v", trim(raw), err)
	}
}

// graphErr decodes a Graph error envelope.
func graphErr(t *testing.T, body []byte) graphError {
	t.Helper()
	var e graphError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error envelope %s: %v", trim(body), err)
	}
	return e
}

// mdeErr decodes an MDE error envelope.
func mdeErr(t *testing.T, body []byte) mdeError {
	t.Helper()
	var e mdeError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error envelope %s: %v", trim(body), err)
	}
	return e
}

func trim(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

// scanTimes returns the time-column values of a table straight from the
// data set.
func scanTimes(t *testing.T, s *Server, table, column string) []time.Time {
	t.Helper()
	tab, ok := s.Data().Table(table)
	if !ok {
		t.Fatalf("data set has no %s", table)
	}
	idx := -1
	for i, c := range tab.Columns {
		if c.Name == column {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatalf("%s has no column %s", table, column)
	}
	var out []time.Time
	tab.Scan(func(row []any) bool {
		out = append(out, row[idx].(time.Time))
		return true
	})
	return out
}
