package sim

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCallLog(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	q := "DeviceInfo | take 4"
	r := f.post(graphPath, tok, map[string]string{"Query": q, "Timespan": "P7D"})
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	f.post(graphPath, "", map[string]string{"Query": q})
	calls := f.s.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls logged", len(calls))
	}
	c := calls[0]
	if c.API != "graph" || c.Path != graphPath || c.Query != q || c.Timespan != "P7D" ||
		c.ClientID != testApps[appAll].id || c.Tenant != DemoTenant || c.Status != 200 ||
		c.Rows != 4 || c.Bytes != int64(len(r.body)) || c.Duration <= 0 || !c.Time.Equal(t0) {
		t.Errorf("call %+v", c)
	}
	if u := calls[1]; u.Status != 401 || u.ClientID != "" || u.Query != "" {
		t.Errorf("unauthenticated call %+v", u)
	}
	dump := fmt.Sprintf("%+v", calls)
	if strings.Contains(dump, tok) || strings.Contains(dump, testApps[appAll].secret) {
		t.Error("the call log holds a credential")
	}
	f.s.ResetCalls()
	if n := len(f.s.Calls()); n != 0 {
		t.Errorf("%d calls after ResetCalls", n)
	}
}

// TestDefaultTenant checks the demo configuration end to end: the
// connection block's credentials sign in and query through Graph and MDE.
func TestDefaultTenant(t *testing.T) {
	start := time.Now()
	s, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Start took %v", time.Since(start))
	defer s.Close()
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") {
		t.Errorf("URL %s", s.URL())
	}
	pem, err := os.ReadFile(s.CAFile())
	if err != nil || !strings.Contains(string(pem), "BEGIN CERTIFICATE") {
		t.Fatalf("CA file: %v", err)
	}
	hcl := s.ConnectionConfig("sim")
	for _, want := range []string{
		`connection "sim" {`, `plugin         = "local/defender"`, `tenant_id      = "` + DemoTenant + `"`,
		`client_id      = "` + DemoClientID + `"`, `client_secret  = "` + s.ClientSecret() + `"`,
		`authority_host = "` + s.URL() + `"`, `api_endpoint   = "` + s.URL() + `"`, `api            = "graph"`,
	} {
		if !strings.Contains(hcl, want) {
			t.Errorf("connection block lacks %s:\n%s", want, hcl)
		}
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}}
	for _, tc := range []struct{ res, path string }{
		{"https://graph.microsoft.com", "/v1.0/security/runHuntingQuery"},
		{"https://api.securitycenter.microsoft.com", "/api/advancedqueries/run"},
	} {
		resp, err := client.PostForm(s.URL()+"/"+s.Tenant()+"/oauth2/v2.0/token", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {s.ClientID()},
			"client_secret": {s.ClientSecret()}, "scope": {tc.res + "/.default"},
		})
		if err != nil {
			t.Fatal(err)
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		json.NewDecoder(resp.Body).Decode(&tok)
		resp.Body.Close()
		req, _ := http.NewRequest(http.MethodPost, s.URL()+tc.path, strings.NewReader(`{"Query":"DeviceInfo | take 3"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err = client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s with the demo app: status %d", tc.path, resp.StatusCode)
		}
	}
	// The managed identity endpoint uses the header the server hands out.
	req, _ := http.NewRequest(http.MethodGet, s.IdentityEndpoint()+"?api-version=2019-08-01&resource=https://graph.microsoft.com", nil)
	req.Header.Set("X-IDENTITY-HEADER", s.IdentityHeader())
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var mi struct {
		AccessToken string `json:"access_token"`
		ClientID    string `json:"client_id"`
	}
	json.NewDecoder(resp.Body).Decode(&mi)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || mi.ClientID != DemoManagedIdentityID {
		t.Fatalf("managed identity: status %d, client %q", resp.StatusCode, mi.ClientID)
	}
	req, _ = http.NewRequest(http.MethodPost, s.URL()+graphPath, strings.NewReader(`{"Query":"DeviceInfo | take 1"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+mi.AccessToken)
	if resp, err = client.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("query with the managed identity token: status %d", resp.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(s.CAFile())); !os.IsNotExist(err) {
		t.Errorf("temporary directory left behind: %v", err)
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.com:0", "nonsense"} {
		if s, err := Start(Config{Addr: addr}); err == nil {
			s.Close()
			t.Errorf("Start(%q) listened on %s", addr, s.URL())
		}
	}
}

func TestStartWritesCAIntoDir(t *testing.T) {
	dir := t.TempDir()
	s, err := Start(Config{Dir: dir, Addr: "localhost:0"})
	if err != nil {
		t.Fatal(err)
	}
	if s.CAFile() != filepath.Join(dir, "ca.pem") {
		t.Errorf("CA file %s", s.CAFile())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.CAFile()); err != nil {
		t.Errorf("CA in a caller's directory was removed: %v", err)
	}
}

// TestConcurrentCalls runs queries in parallel; run with -race it checks
// that the server's shared state is guarded.
func TestConcurrentCalls(t *testing.T) {
	f := newFixture(t)
	f.s.Faults().SetRateLimit(0)
	tok := f.token(appAll, graphRes)
	const workers, each = 6, 4
	errs := make(chan error, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				q := fmt.Sprintf("DeviceProcessEvents | take %d", w+i+1)
				r, err := f.try(graphPath, tok, "application/json", map[string]string{"Query": q})
				var got struct{ Results []json.RawMessage }
				if err == nil {
					err = json.Unmarshal(r.body, &got)
				}
				if err != nil || r.status != http.StatusOK || len(got.Results) != w+i+1 {
					errs <- fmt.Errorf("%q: status %d, %d rows, %v", q, r.status, len(got.Results), err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(f.s.Calls()); n != workers*each {
		t.Errorf("%d calls logged, want %d", n, workers*each)
	}
}
