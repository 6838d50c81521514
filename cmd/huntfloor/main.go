// Command huntfloor is the smallest useful client of the advanced hunting
// API: it gets a token with client credentials, posts one query and
// decodes every result row, then prints what it did as one JSON line. The
// end-to-end benchmarks run it as the floor the plugin is compared with.
//
// The client secret is read from HUNTFLOOR_CLIENT_SECRET, never from the
// command line. Certificates are verified against the system pool
// (SSL_CERT_FILE selects a simulator's CA).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// report is the JSON line printed on success.
type report struct {
	Rows    int     `json:"rows"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	// PeakRSS is VmHWM from /proc/self/status in bytes, 0 where there is
	// no procfs. The parent cannot use the child's rusage: on Linux it also
	// counts the parent's memory shared before exec.
	PeakRSS int64 `json:"peak_rss"`
}

func main() {
	authority := flag.String("authority", "https://login.microsoftonline.com", "Entra ID authority host")
	tenant := flag.String("tenant", "", "tenant id")
	clientID := flag.String("client-id", "", "application (client) id")
	endpoint := flag.String("endpoint", "https://graph.microsoft.com", "Graph base URL")
	scope := flag.String("scope", "https://graph.microsoft.com/.default", "token scope")
	query := flag.String("query", "", "KQL to run")
	timespan := flag.String("timespan", "", "Graph Timespan (ISO 8601), empty for the default")
	flag.Parse()
	secret := os.Getenv("HUNTFLOOR_CLIENT_SECRET")
	if *tenant == "" || *clientID == "" || secret == "" || *query == "" {
		fmt.Fprintln(os.Stderr, "huntfloor: -tenant, -client-id, -query and HUNTFLOOR_CLIENT_SECRET are required")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	token, err := clientToken(ctx, *authority, *tenant, *clientID, secret, *scope)
	if err != nil {
		fail(err)
	}
	started := time.Now()
	rows, n, err := run(ctx, strings.TrimRight(*endpoint, "/")+"/v1.0/security/runHuntingQuery", token, *query, *timespan)
	if err != nil {
		fail(err)
	}
	out, _ := json.Marshal(report{Rows: rows, Bytes: n, Seconds: time.Since(started).Seconds(), PeakRSS: peakRSS()})
	fmt.Println(string(out))
}

// peakRSS reads this process's peak resident set size.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "huntfloor:", err)
	os.Exit(1)
}

// clientToken runs the client credentials grant.
func clientToken(ctx context.Context, authority, tenant, clientID, secret, scope string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {secret}, "scope": {scope}}
	u := strings.TrimRight(authority, "/") + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		return "", fmt.Errorf("token request failed with HTTP %d", resp.StatusCode)
	}
	return tok.AccessToken, nil
}

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// run posts the query and decodes each row of the results array into a
// map, one row at a time.
func run(ctx context.Context, u, token, query, timespan string) (int, int64, error) {
	body, _ := json.Marshal(map[string]string{"Query": query, "Timespan": timespan})
	if timespan == "" {
		body, _ = json.Marshal(map[string]string{"Query": query})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2000))
		return 0, 0, fmt.Errorf("HTTP %d: %s", resp.StatusCode, msg)
	}
	c := &counter{r: resp.Body}
	dec := json.NewDecoder(c)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0, c.n, errors.New("the response is not a JSON object")
	}
	rows := 0
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return rows, c.n, err
		}
		if k, _ := key.(string); !strings.EqualFold(k, "results") {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return rows, c.n, err
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return rows, c.n, errors.New("results is not an array")
		}
		for dec.More() {
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				return rows, c.n, err
			}
			rows++
		}
		if _, err := dec.Token(); err != nil {
			return rows, c.n, err
		}
	}
	return rows, c.n, nil
}
