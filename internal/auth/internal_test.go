package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// memCache stands in for MSAL's cache serializer.
type memCache struct{ data []byte }

func (m *memCache) Marshal() ([]byte, error) { return m.data, nil }
func (m *memCache) Unmarshal(b []byte) error { m.data = append([]byte(nil), b...); return nil }

func TestFileCacheRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	f := newFileCache(filepath.Join(dir, "c.json"))
	ctx := context.Background()

	// A missing file loads as an empty cache, replacing what was in memory.
	m := &memCache{data: []byte(`{"stale":1}`)}
	if err := f.Replace(ctx, m, struct{ PartitionKey string }{}); err != nil {
		t.Fatal(err)
	}
	if string(m.data) != "{}" {
		t.Fatalf("missing file loaded %q", m.data)
	}

	m.data = []byte(`{"RefreshToken":{"k":{"secret":"rt"}}}`)
	if err := f.Export(ctx, m, struct{ PartitionKey string }{}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, f.path, 0o600)
	assertMode(t, dir, 0o700|os.ModeDir)
	assertMode(t, f.path+".lock", 0o600)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	got := &memCache{}
	if err := f.Replace(ctx, got, struct{ PartitionKey string }{}); err != nil {
		t.Fatal(err)
	}
	if string(got.data) != string(m.data) {
		t.Fatalf("round trip = %q, want %q", got.data, m.data)
	}

	// An existing world-readable file is replaced by a private one.
	if err := os.Chmod(f.path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := f.Export(ctx, m, struct{ PartitionKey string }{}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, f.path, 0o600)

	// An empty file also loads as an empty cache.
	if err := os.WriteFile(f.path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Replace(ctx, got, struct{ PartitionKey string }{}); err != nil || string(got.data) != "{}" {
		t.Fatalf("empty file: %q, %v", got.data, err)
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != want {
		t.Errorf("%s mode = %v, want %v", path, fi.Mode(), want)
	}
}

func TestDefaultTokenCachePath(t *testing.T) {
	cases := map[string]string{
		"defender":      "/home/u/.steampipe/internal/defender/defender.tokencache.json",
		"defender_prod": "/home/u/.steampipe/internal/defender/defender_prod.tokencache.json",
		"../../etc/x":   "/home/u/.steampipe/internal/defender/__.._etc_x.tokencache.json",
		"a b/c":         "/home/u/.steampipe/internal/defender/a_b_c.tokencache.json",
	}
	for conn, want := range cases {
		got := DefaultTokenCachePath("/home/u", conn)
		if got != want {
			t.Errorf("DefaultTokenCachePath(%q) = %q, want %q", conn, got, want)
		}
		if filepath.Dir(got) != "/home/u/.steampipe/internal/defender" {
			t.Errorf("%q escapes the cache directory: %q", conn, got)
		}
	}
}

func TestDescribeBody(t *testing.T) {
	cases := []struct {
		body, code, desc string
	}{
		{`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x\r\nCorrelation ID: y","error_codes":[7000215]}`,
			"invalid_client", "AADSTS7000215: Invalid client secret provided."},
		{`{"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired. Trace ID: 1 Correlation ID: 2 Timestamp: 3","error_codes":[700082]}`,
			"invalid_grant", "AADSTS700082: The refresh token has expired."},
		{`{"error":"invalid_request","error_description":"Bad thing","error_codes":[900144]}`,
			"invalid_request", "AADSTS900144: Bad thing"},
		{`{"statusCode":401,"message":"The X-IDENTITY-HEADER header is missing or wrong.","correlationId":"c"}`,
			"", "The X-IDENTITY-HEADER header is missing or wrong."},
		{`{"error":{"code":"invalid_resource","message":"No such resource.\nmore"}}`,
			"invalid_resource", "No such resource."},
		{"<html>Bad gateway</html>\nline two", "", "<html>Bad gateway</html>"},
	}
	for _, c := range cases {
		code, desc := describeBody([]byte(c.body))
		if code != c.code || desc != c.desc {
			t.Errorf("describeBody(%s) = %q, %q; want %q, %q", c.body, code, desc, c.code, c.desc)
		}
	}
	long, _ := describeBody([]byte(strings.Repeat("x", 1000)))
	if len(long) > 310 {
		t.Errorf("long body kept %d bytes", len(long))
	}
}

func TestRedact(t *testing.T) {
	id := newIdent(ClientSecret, Config{TenantID: "t", ClientID: "c", ClientSecret: "hunter2-secret", CertificatePassword: "pfx-pass"})
	got := id.redact("a hunter2-secret b pfx-pass c")
	if strings.Contains(got, "hunter2") || strings.Contains(got, "pfx-pass") || got != "a [redacted] b [redacted] c" {
		t.Errorf("redact = %q", got)
	}
}

// MSAL quotes undecodable token responses in its error text; none of it
// may reach the caller.
func TestFailWithholdsTokenResponses(t *testing.T) {
	id := newIdent(User, Config{TenantID: "t", ClientID: "c"})
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
	raw := `json decode error: TokenResponse client_info field had JWT decode error: illegal base64 data at input byte 3 raw message was: {"access_token":"` +
		jwt + `","refresh_token":"1.opaque-refresh","id_token":"` + jwt + `"}`
	err := id.fail(errors.New(raw))
	if errors.Unwrap(err) != nil {
		t.Error("the error quoting a token response is reachable through Unwrap")
	}
	msg := err.Error()
	for _, leak := range []string{jwt, "1.opaque-refresh", "eyJ"} {
		if strings.Contains(msg, leak) {
			t.Errorf("message %q leaks %q", msg, leak)
		}
	}
	if !strings.Contains(msg, "illegal base64 data") || !strings.Contains(msg, `tenant "t"`) {
		t.Errorf("message lost its useful part: %q", msg)
	}
	// Without MSAL's marker, JWTs and token fields are still removed.
	msg = id.redact(`failed: {"refresh_token": "abc.def", "code":"xyz"} bearer ` + jwt)
	if strings.Contains(msg, "abc.def") || strings.Contains(msg, "xyz") || strings.Contains(msg, jwt) {
		t.Errorf("redact = %q", msg)
	}
}

func TestFailKeepsLocalCauses(t *testing.T) {
	id := newIdent(ClientSecret, Config{TenantID: "t", ClientID: "c"})
	err := id.fail(fmt.Errorf("acquiring: %w", context.DeadlineExceeded))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("context error lost: %v", err)
	}
	if errors.Is(err, ErrLoginRequired) {
		t.Error("a timeout is not a login problem")
	}
}
