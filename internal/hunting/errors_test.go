package hunting

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

func timeRequest() Request {
	return Request{Render: renderSpec(Slice{}, Asc), TimeColumn: "Timestamp", Order: Asc}
}

// failFirst answers the first n calls with status, headers and body.
func failFirst(n, status int, header map[string]string, body string) func(int, http.ResponseWriter, recorded) bool {
	return func(call int, w http.ResponseWriter, _ recorded) bool {
		if call >= n {
			return false
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
		return true
	}
}

func graphErr(code, msg string) string {
	return fmt.Sprintf(`{"error":{"code":%q,"message":%q,"innerError":{"date":"2026-01-01T00:00:00","request-id":"rid-42"}}}`, code, msg)
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"http date", "", 90 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tiedRows(20, testBase()), 100)
			f.now = time.Now().UTC().Truncate(time.Second)
			h := tc.header
			if h == "" {
				h = f.now.Add(tc.want).Format(http.TimeFormat)
			}
			f.fault = failFirst(1, 429, map[string]string{"Retry-After": h}, graphErr("TooManyRequests", "API calls quota exceeded! maximum allowed 45 per 00:01:00"))
			var sleeps []time.Duration
			c := f.client(t, Config{}, &sleeps)
			ids, _, st, err := collect(t, c, timeRequest())
			if err != nil {
				t.Fatal(err)
			}
			checkOnce(t, ids, 20)
			if len(sleeps) != 1 || sleeps[0] != tc.want || st.Throttled != tc.want || st.Retries != 1 || st.Calls != 2 {
				t.Errorf("sleeps %v throttled %v retries %d calls %d", sleeps, st.Throttled, st.Retries, st.Calls)
			}
		})
	}
}

func TestRetryAfterBeyondMaxThrottleWait(t *testing.T) {
	f := newFake(t, tiedRows(20, testBase()), 100)
	f.now = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	f.fault = failFirst(1, 429, map[string]string{"Retry-After": "1200"}, graphErr("TooManyRequests", "quota"))
	c := f.client(t, Config{MaxThrottleWait: time.Minute}, nil)
	_, _, _, err := collect(t, c, timeRequest())
	var herr *Error
	if !errors.As(err, &herr) || !herr.RetryAt.Equal(f.now.Add(20*time.Minute)) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"HTTP 429", "TooManyRequests", "2026-05-01T10:20:00Z", "max throttle wait"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

func TestCPUQuotaSaysWhenQueriesWorkAgain(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 3, 20, 0, time.UTC)
	for _, tc := range []struct {
		name, msg, retryAfter, want string
	}{
		{"message time span", "You have exceeded processing resources allocated to this tenant. You can run queries again in 00:12:30.", "", "2026-05-01T10:15:50Z"},
		{"retry-after", "CPU quota exceeded", "60", "2026-05-01T10:04:20Z"},
		{"next cycle", "You have exceeded processing resources allocated to this tenant.", "", "2026-05-01T10:15:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tiedRows(5, testBase()), 100)
			f.now = now
			h := map[string]string{}
			if tc.retryAfter != "" {
				h["Retry-After"] = tc.retryAfter
			}
			f.fault = failFirst(1, 429, h, graphErr("TooManyRequests", tc.msg))
			c := f.client(t, Config{}, nil)
			_, _, _, err := collect(t, c, timeRequest())
			if err == nil || !strings.Contains(err.Error(), "CPU quota") || !strings.Contains(err.Error(), "work again at "+tc.want) {
				t.Fatalf("err = %v, want CPU quota until %s", err, tc.want)
			}
			if len(f.recorded()) != 1 {
				t.Errorf("%d calls; a CPU quota error must not be retried", len(f.recorded()))
			}
		})
	}
}

func TestServerErrorsRetriedThenSucceed(t *testing.T) {
	f := newFake(t, tiedRows(30, testBase()), 100)
	statuses := []int{503, 500, 502}
	f.fault = func(n int, w http.ResponseWriter, _ recorded) bool {
		if n >= len(statuses) {
			return false
		}
		writeError(w, statuses[n], "UnknownError", "")
		return true
	}
	var sleeps []time.Duration
	c := f.client(t, Config{}, &sleeps)
	c.backoff = 100 * time.Millisecond
	ids, _, st, err := collect(t, c, timeRequest())
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, ids, 30)
	if st.Calls != 4 || st.Retries != 3 || len(sleeps) != 3 {
		t.Fatalf("calls %d retries %d sleeps %v", st.Calls, st.Retries, sleeps)
	}
	// Jittered exponential: retry n waits between half and all of 100ms·2^(n-1).
	for i, d := range sleeps {
		full := 100 * time.Millisecond << i
		if d < full/2 || d > full {
			t.Errorf("sleep %d = %v, want within [%v, %v]", i, d, full/2, full)
		}
	}
}

func TestServerErrorsExhausted(t *testing.T) {
	f := newFake(t, tiedRows(5, testBase()), 100)
	f.fault = func(_ int, w http.ResponseWriter, _ recorded) bool {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(504)
		fmt.Fprint(w, "<html><head><title>504 Gateway Time-out</title></head><body><h1>Gateway\nTime-out</h1></body></html>")
		return true
	}
	c := f.client(t, Config{MaxRetries: 2}, nil)
	_, _, st, err := collect(t, c, timeRequest())
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{"HTTP 504", "504 Gateway Time-out", "Gave up after 2 retries", `Query: {"Lower"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.ContainsAny(msg, "<>\n") {
		t.Errorf("message is not one clean line: %q", msg)
	}
	if st.Calls != 3 {
		t.Errorf("calls %d, want 3", st.Calls)
	}
}

func TestUnauthorizedRetriesWithFreshTokenOnce(t *testing.T) {
	for _, recovers := range []bool{true, false} {
		t.Run(fmt.Sprint("recovers=", recovers), func(t *testing.T) {
			f := newFake(t, tiedRows(5, testBase()), 100)
			f.fault = func(n int, w http.ResponseWriter, rec recorded) bool {
				if recovers && rec.Header.Get("Authorization") == "Bearer new-token" {
					return false
				}
				writeError(w, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
				return true
			}
			var mu sync.Mutex
			var asked []bool
			c := f.client(t, Config{Token: func(_ context.Context, fresh bool) (string, error) {
				mu.Lock()
				defer mu.Unlock()
				asked = append(asked, fresh)
				if fresh {
					return "new-token", nil
				}
				return "old-token", nil
			}}, nil)
			ids, _, _, err := collect(t, c, timeRequest())
			if fmt.Sprint(asked) != "[false true]" || len(f.recorded()) != 2 {
				t.Fatalf("token requests %v, calls %d; want [false true], 2", asked, len(f.recorded()))
			}
			if recovers {
				if err != nil || len(ids) != 5 {
					t.Fatalf("err %v, %d rows", err, len(ids))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "HTTP 401") || !strings.Contains(err.Error(), "tenant ID") || strings.Contains(err.Error(), "token\"") {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "new-token") || strings.Contains(err.Error(), "old-token") {
				t.Fatal("error leaks the token")
			}
		})
	}
}

func TestForbiddenNamesThePermission(t *testing.T) {
	for _, tc := range []struct {
		api        API
		body, perm string
		requestID  string
	}{
		{Graph, graphErr("Forbidden", "Missing role permissions on the request."), "ThreatHunting.Read.All", "rid-42"},
		{MDE, `{"error":{"code":"Forbidden","message":"The application does not have any of the required application roles","target":"corr-7"}}`, "AdvancedQuery.Read.All", "corr-7"},
	} {
		t.Run(tc.api.String(), func(t *testing.T) {
			f := newFake(t, nil, 100)
			f.fault = failFirst(1, 403, nil, tc.body)
			c := f.client(t, Config{API: tc.api}, nil)
			_, _, _, err := collect(t, c, timeRequest())
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range []string{"HTTP 403", "code Forbidden", tc.perm, "consent", "request-id " + tc.requestID} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q lacks %q", err, want)
				}
			}
		})
	}
}

func TestBadQueryIsRejectedWithoutRetry(t *testing.T) {
	f := newFake(t, nil, 100)
	f.fault = failFirst(9, 400, nil, graphErr("BadRequest", "'project' operator: Failed to resolve scalar expression named 'x'"))
	c := f.client(t, Config{}, nil)
	_, _, _, err := collect(t, c, timeRequest())
	if err == nil || !strings.Contains(err.Error(), "the query was rejected (HTTP 400, code BadRequest): 'project' operator") {
		t.Fatalf("err = %v", err)
	}
	if len(f.recorded()) != 1 {
		t.Errorf("%d calls", len(f.recorded()))
	}
}

func TestMalformedJSON(t *testing.T) {
	garbage := func(n int) func(int, http.ResponseWriter, recorded) bool {
		return failFirst(n, 200, map[string]string{"Content-Type": "application/json"}, `{"results":[{"Timestamp":"2026-01-01T00:00:00Z","Id":1},{"Id":}`)
	}
	f := newFake(t, tiedRows(10, testBase()), 100)
	f.fault = garbage(1)
	c := f.client(t, Config{}, nil)
	// The broken row comes after a row that the pager still holds back,
	// so nothing was emitted and the retry repeats the same request.
	ids, _, st, err := collect(t, c, timeRequest())
	if err != nil || st.Retries != 1 {
		t.Fatalf("err %v retries %d", err, st.Retries)
	}
	checkOnce(t, ids, 10)

	f.fault = garbage(100)
	c = f.client(t, Config{MaxRetries: 1}, nil)
	_, _, _, err = collect(t, c, timeRequest())
	if err == nil || !strings.Contains(err.Error(), "not a valid hunting result") || !strings.Contains(err.Error(), "invalid character") {
		t.Fatalf("err = %v", err)
	}
}

func TestConnectionReset(t *testing.T) {
	f := newFake(t, tiedRows(10, testBase()), 100)
	f.fault = func(n int, w http.ResponseWriter, _ recorded) bool {
		if n > 0 {
			return false
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return true
		}
		conn.Close()
		return true
	}
	c := f.client(t, Config{}, nil)
	ids, _, st, err := collect(t, c, timeRequest())
	if err != nil || st.Calls != 2 || st.Retries != 1 {
		t.Fatalf("err %v calls %d retries %d", err, st.Calls, st.Retries)
	}
	checkOnce(t, ids, 10)
}

func TestRequestTimeout(t *testing.T) {
	f := newFake(t, tiedRows(3, testBase()), 100)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f.fault = func(int, http.ResponseWriter, recorded) bool {
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		return true
	}
	c := f.client(t, Config{RequestTimeout: 50 * time.Millisecond, MaxRetries: 1}, nil)
	_, _, st, err := collect(t, c, timeRequest())
	if err == nil || !strings.Contains(err.Error(), "no response data for 50ms") || st.Calls != 2 {
		t.Fatalf("err %v calls %d", err, st.Calls)
	}
}

func TestRequestShapeAndNoSecretsInLogs(t *testing.T) {
	for _, api := range []API{Graph, MDE} {
		t.Run(api.String(), func(t *testing.T) {
			f := newFake(t, tiedRows(3, testBase()), 100)
			var logs bytes.Buffer
			logger := hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Trace})
			c := f.client(t, Config{API: api, Logger: logger}, nil)
			window := Slice{Lower: &Bound{Time: testBase(), Inclusive: true}}
			if _, _, _, err := collect(t, c, Request{Render: renderSpec(window, Asc), TimeColumn: "Timestamp", Order: Asc, Window: window}); err != nil {
				t.Fatal(err)
			}
			rec := f.recorded()[0]
			wantPath := map[API]string{Graph: "/v1.0/security/runHuntingQuery", MDE: "/api/advancedqueries/run"}[api]
			if rec.Path != wantPath {
				t.Errorf("path %s", rec.Path)
			}
			for k, v := range map[string]string{"Authorization": "Bearer secret-token", "Content-Type": "application/json; charset=utf-8", "Accept": "application/json"} {
				if got := rec.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			_, hasTS := rec.Body["Timespan"]
			if hasTS != (api == Graph) || rec.Body["Query"] == nil || len(rec.Body) != map[API]int{Graph: 2, MDE: 1}[api] {
				t.Errorf("body %v", rec.Body)
			}
			out := logs.String()
			if strings.Contains(out, "secret-token") {
				t.Error("the token appears in the logs")
			}
			for _, want := range []string{"hunting call", "kql=", "rows=3", "status=200", "duration="} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	f := newFake(t, tiedRows(20, testBase()), 100)
	f.fault = func(int, http.ResponseWriter, recorded) bool {
		time.Sleep(20 * time.Millisecond)
		return false
	}
	c := f.client(t, Config{MaxConcurrent: 2}, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Run(context.Background(), timeRequest(), func(Row) error { return nil }); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if f.peak > 2 || f.peak < 1 {
		t.Errorf("peak concurrency %d, want at most 2", f.peak)
	}
}

func TestRunKQL(t *testing.T) {
	f := newFake(t, tiedRows(30, testBase()), 30)
	c := f.client(t, Config{}, nil)
	n := 0
	_, err := c.RunKQL(context.Background(), `{"Order":"asc"}`, "P20D", func(Row) error { n++; return nil })
	if err == nil || !strings.Contains(err.Error(), "30-row cap") || n != 30 {
		t.Fatalf("err %v after %d rows; reaching the cap must fail", err, n)
	}
	if ts := f.recorded()[0].Timespan; ts != "P20D" {
		t.Errorf("Timespan %q", ts)
	}
	st, err := c.RunKQL(context.Background(), `{"Order":"asc","Take":5}`, "", func(Row) error { return nil })
	if err != nil || st.Rows != 5 {
		t.Fatalf("err %v rows %d", err, st.Rows)
	}
	if _, ok := f.recorded()[1].Body["Timespan"]; ok {
		t.Error("an empty timespan was sent")
	}
	m := f.client(t, Config{API: MDE}, nil)
	if _, err := m.RunKQL(context.Background(), "x", "P1D", func(Row) error { return nil }); err == nil {
		t.Error("MDE accepted a timespan")
	}
}
