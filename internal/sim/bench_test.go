package sim

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
)

// BenchmarkGraphQuery measures a full Graph call returning 10,000 rows of
// every DeviceProcessEvents column: token check, query, encoding and
// transfer. It reports rows/s and response MB/s.
func BenchmarkGraphQuery(b *testing.B) {
	s, err := Start(Config{
		Data: dataset.Options{Seed: 1, Now: time.Now(), TableRows: map[string]int{"DeviceProcessEvents": 20000}},
	})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.Faults().SetRateLimit(0)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CAPool()}}}
	resp, err := client.PostForm(s.URL()+"/"+s.Tenant()+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {s.ClientID()},
		"client_secret": {s.ClientSecret()}, "scope": {"https://graph.microsoft.com/.default"},
	})
	if err != nil {
		b.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	body := `{"Query":"DeviceProcessEvents | take 10000","Timespan":"P90D"}`
	var bytes int64
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, s.URL()+graphPath, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
		bytes += n
	}
	rows := 0
	for _, c := range s.Calls() {
		rows += c.Rows
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(rows)/secs, "rows/s")
	b.ReportMetric(float64(bytes)/secs/1e6, "MB/s")
	b.ReportMetric(float64(bytes)/float64(b.N)/1e6, "MB/call")
}
