package graphsec

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake serves a collection of n entities in pages of size, and answers
// the queued statuses first.
type fake struct {
	mu      sync.Mutex
	n, size int
	queue   []int    // statuses to answer before serving
	cut     int      // pages to break off half way
	seen    []string // request URLs
	srv     *httptest.Server
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.seen = append(f.seen, r.URL.String())
	var st int
	if len(f.queue) > 0 {
		st, f.queue = f.queue[0], f.queue[1:]
	}
	cut := st == 0 && f.cut > 0
	if cut {
		f.cut--
	}
	f.mu.Unlock()
	if st != 0 {
		if st == 429 {
			w.Header().Set("Retry-After", "2")
		}
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"error":{"code":"Code%d","message":"status %d","innerError":{"request-id":"rid"}}}`, st, st)
		return
	}
	if id, ok := strings.CutPrefix(r.URL.Path, "/v1.0/security/things/"); ok {
		if id != "7" {
			w.WriteHeader(404)
			fmt.Fprint(w, `{"error":{"code":"NotFound","message":"no"}}`)
			return
		}
		fmt.Fprintf(w, `{"id":"7","expand":%q}`, r.URL.Query().Get("$expand"))
		return
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("$skip"))
	var b strings.Builder
	b.WriteString(`{"@odata.context":"x","value":[`)
	end := min(skip+f.size, f.n)
	for i := skip; i < end; i++ {
		if i > skip {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","n":%d}`, i, i)
	}
	b.WriteString("]")
	if end < f.n {
		q := r.URL.Query()
		q.Set("$skip", strconv.Itoa(end))
		fmt.Fprintf(&b, `,"@odata.nextLink":%q`, f.srv.URL+r.URL.Path+"?"+q.Encode())
	}
	b.WriteString("}")
	body := b.String()
	if cut {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write([]byte(body[:len(body)*2/3]))
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.Write([]byte(body))
}

func newFake(t *testing.T, n, size int) (*fake, *Client, *[]time.Duration) {
	f := &fake{n: n, size: size}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	c, err := New(Config{Endpoint: f.srv.URL, Token: func(context.Context, bool) (string, error) { return "tok", nil }})
	if err != nil {
		t.Fatal(err)
	}
	var slept []time.Duration
	c.sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	return f, c, &slept
}

func collect(t *testing.T, c *Client, req Request, stopAt int) ([]string, Stats, error) {
	var ids []string
	st, err := c.List(context.Background(), req, func(it Item) error {
		ids = append(ids, strings.Trim(string(it["id"]), `"`))
		if len(ids) == stopAt {
			return ErrStop
		}
		return nil
	})
	return ids, st, err
}

func TestListPagesAndStops(t *testing.T) {
	f, c, _ := newFake(t, 23, 5)
	waits := 0
	req := Request{Collection: "things", Filter: "status eq 'it''s'", Top: 5, Wait: func(context.Context) error { waits++; return nil }}
	ids, st, err := collect(t, c, req, -1)
	if err != nil || len(ids) != 23 || st.Pages != 5 || st.Calls != 5 || waits != 5 {
		t.Fatalf("ids %d, stats %+v, waits %d, err %v", len(ids), st, waits, err)
	}
	if !strings.Contains(f.seen[0], "%24filter=status+eq+%27it%27%27s%27") || !strings.Contains(f.seen[0], "%24top=5") {
		t.Errorf("first URL %s", f.seen[0])
	}
	_, st, err = collect(t, c, req, 7)
	if err != nil || st.Calls != 2 || st.Items != 7 {
		t.Errorf("stop after 7: %+v %v", st, err)
	}
}

func TestListRetries(t *testing.T) {
	f, c, slept := newFake(t, 12, 5)
	f.queue = []int{429, 503, 500}
	f.cut = 1
	ids, st, err := collect(t, c, Request{Collection: "things"}, -1)
	if err != nil || len(ids) != 12 || st.Retries != 4 {
		t.Fatalf("ids %v, stats %+v, err %v", ids, st, err)
	}
	for i, id := range ids {
		if id != strconv.Itoa(i) {
			t.Fatalf("ids %v: duplicated or lost entities", ids)
		}
	}
	if (*slept)[0] != 2*time.Second {
		t.Errorf("429 waited %v, want Retry-After 2s", (*slept)[0])
	}
}

func TestListErrors(t *testing.T) {
	f, c, _ := newFake(t, 3, 5)
	f.queue = []int{403}
	_, _, err := collect(t, c, Request{Collection: "things", Permission: "SecurityAlert.Read.All"}, -1)
	if err == nil || !strings.Contains(err.Error(), "SecurityAlert.Read.All") || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("403: %v", err)
	}
	f.queue = []int{503, 503, 503, 503, 503}
	if _, _, err := collect(t, c, Request{Collection: "things"}, -1); err == nil || !strings.Contains(err.Error(), "Gave up after 4 retries") {
		t.Errorf("5xx: %v", err)
	}
	f.queue = []int{400}
	if _, _, err := collect(t, c, Request{Collection: "things"}, -1); err == nil || !strings.Contains(err.Error(), "rejected") {
		t.Errorf("400: %v", err)
	}
	c.cfg.MaxThrottleWait = time.Second
	f.queue = []int{429}
	if _, _, err := collect(t, c, Request{Collection: "things"}, -1); err == nil || !strings.Contains(err.Error(), "throttled") {
		t.Errorf("long 429: %v", err)
	}
}

func TestGet(t *testing.T) {
	_, c, _ := newFake(t, 3, 5)
	it, _, err := c.Get(context.Background(), Request{Collection: "things", Expand: "alerts"}, "7")
	if err != nil || string(it["expand"]) != `"alerts"` {
		t.Fatalf("get 7: %v %v", it, err)
	}
	it, _, err = c.Get(context.Background(), Request{Collection: "things"}, "a/../b?x")
	if err != nil || it != nil {
		t.Fatalf("missing: %v %v", it, err)
	}
}

func TestForeignNextLink(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"value":[{"id":"1"}],"@odata.nextLink":%q}`, other.URL+"/v1.0/security/things?$skip=1")
	}))
	defer srv.Close()
	c, _ := New(Config{Endpoint: srv.URL, Token: func(context.Context, bool) (string, error) { return "tok", nil }})
	if _, _, err := collect(t, c, Request{Collection: "things"}, -1); err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("foreign nextLink: %v", err)
	}
}
