package e2e

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// fastGraphLimiter replaces the Graph security rate limiter in tests that
// are not about quotas.
var fastGraphLimiter = &proto.RateLimiterDefinition{
	Name: "defender_graph_security", FillRate: 10000, BucketSize: 10000, Scope: []string{"connection"},
}

// liftGraphQuota lifts both of the plugin's limiters for the shared
// plugin process.
func liftGraphQuota(t *testing.T) {
	t.Helper()
	if err := plug.SetRateLimiters(fastLimiter, fastGraphLimiter); err != nil {
		t.Fatal(err)
	}
}

// securityColumns are the columns the filter tests read, per table.
var securityColumns = map[string][]string{
	"defender_alert": {"id", "status", "severity", "classification", "determination", "assigned_to", "service_source",
		"created_date_time", "last_update_date_time", "title"},
	"defender_incident": {"id", "status", "severity", "classification", "determination", "assigned_to",
		"created_date_time", "last_update_date_time", "display_name"},
}

// graphTruth reads a whole collection straight from the simulator, with
// the demo app's own token, independently of the plugin: the data the
// plugin's rows are compared with.
func graphTruth(t *testing.T, collection string) []map[string]any {
	t.Helper()
	hc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.CAPool()}}}
	resp, err := hc.PostForm(srv.URL()+"/"+srv.Tenant()+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {srv.ClientID()}, "client_secret": {srv.ClientSecret()},
		"scope": {"https://graph.microsoft.com/.default"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	var out []map[string]any
	next := srv.URL() + "/v1.0/security/" + collection
	switch collection {
	case "alerts_v2":
		next += "?$top=2000"
	case "incidents":
		next += "?$top=50"
	}
	for next != "" {
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Value []map[string]any `json:"value"`
			Next  string           `json:"@odata.nextLink"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("truth for %s: %d %v", collection, resp.StatusCode, err)
		}
		out = append(out, page.Value...)
		next = page.Next
	}
	return out
}

// truthRow turns an entity into the SQL row of cols, with times as
// Postgres stores them (pgtime.Stored), which is also how the harness
// reads the plugin's rows.
func truthRow(e map[string]any, cols []string) Row {
	r := Row{}
	for _, c := range cols {
		field := camel(c)
		v := e[field]
		if s, ok := v.(string); ok && strings.HasSuffix(c, "_date_time") {
			if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
				v = pgtime.Stored(ts)
			}
		}
		r[c] = v
	}
	return r
}

// camel is the Graph property of a column name.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// expectSecurity applies the scan's quals to the truth with Postgres
// semantics and the limit, if any (order is Graph's, most recent first).
func expectSecurity(t *testing.T, truth []map[string]any, s Scan) []Row {
	t.Helper()
	var out []Row
	for _, e := range truth {
		if r := truthRow(e, s.Columns); recheck(t, r, s.Quals) {
			out = append(out, r)
		}
	}
	return out
}

// recheck evaluates every qual on a row, as Postgres does after a scan:
// the condition the SQL states (Qual.Actual where the FDW garbled it).
func recheck(t *testing.T, r Row, quals []Qual) bool {
	t.Helper()
	for _, q := range quals {
		ok, err := holds(q.sql(), r[q.Column])
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return false
		}
	}
	return true
}

// sameSecurityRows compares rows by value, ignoring order.
func sameSecurityRows(t *testing.T, got, want []Row) {
	t.Helper()
	norm := func(rows []Row) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			m := map[string]any{}
			for k, v := range r {
				if ts, ok := v.(time.Time); ok {
					v = ts.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
				}
				m[k] = v
			}
			b, _ := json.Marshal(m)
			out[i] = string(b)
		}
		sort.Strings(out)
		return out
	}
	g, w := norm(got), norm(want)
	if strings.Join(g, "\n") != strings.Join(w, "\n") {
		n := min(len(g), len(w), 3)
		t.Fatalf("got %d rows, want %d\nfirst got:  %v\nfirst want: %v", len(g), len(w), g[:n], w[:n])
	}
}

// securityCalls are the calls to Graph's security collections since from.
func securityCalls(from int) []simCall {
	var out []simCall
	for _, c := range srv.Calls()[from:] {
		if strings.Contains(c.Path, "/v1.0/security/") && !strings.HasSuffix(c.Path, "runHuntingQuery") {
			out = append(out, c)
		}
	}
	return out
}

// scanSecurity runs a scan on the shared plugin.
func scanSecurity(t *testing.T, s Scan) ([]Row, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
	defer cancel()
	return plug.Execute(ctx, s)
}
