package hunting

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// spec is the test stand-in for KQL: the fake server evaluates it.
type spec struct {
	Lower, Upper       string // RFC 3339, "" for none
	LowerInc, UpperInc bool
	Order              string
	Take               int64
}

// renderSpec returns a Render callback that encodes window and slice
// bounds as a spec, as the plugin would put them in the where-clause.
func renderSpec(window Slice, order Order) func(Slice, int64) (string, error) {
	return func(s Slice, take int64) (string, error) {
		eff := intersect(window, s)
		q := spec{Order: order.String(), Take: take}
		if b := eff.Lower; b != nil {
			q.Lower, q.LowerInc = b.Time.Format(time.RFC3339Nano), b.Inclusive
		}
		if b := eff.Upper; b != nil {
			q.Upper, q.UpperInc = b.Time.Format(time.RFC3339Nano), b.Inclusive
		}
		raw, err := json.Marshal(q)
		return string(raw), err
	}
}

// fakeRow is one row of the fake table.
type fakeRow struct {
	ID int
	TS time.Time
}

// recorded is what the fake saw of one request.
type recorded struct {
	Header   http.Header
	Path     string
	Body     map[string]any
	Spec     spec
	Timespan string
}

// fake is a hunting API over a small table. Rows sharing a timestamp come
// back in a random order on every request, so correctness cannot depend on
// tie order. The Timespan is applied as a filter too, so a Timespan that
// is too narrow loses rows.
type fake struct {
	t        *testing.T
	rows     []fakeRow
	rowCap   int
	maxMatch int       // >0: more matching rows than this gives the result-size 400
	now      time.Time // for Timespan forms relative to now
	// fault, when set, may answer call n (0-based) itself; returning
	// true means it did.
	fault func(n int, w http.ResponseWriter, rec recorded) bool
	// breakAfter, when set, returns after how many rows call n's body
	// is cut off (a negative value means never).
	breakAfter func(n int) int

	mu       sync.Mutex
	calls    []recorded
	inFlight int
	peak     int
	srv      *httptest.Server
}

func newFake(t *testing.T, rows []fakeRow, rowCap int) *fake {
	f := &fake{t: t, rows: rows, rowCap: rowCap, now: time.Now().UTC()}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a client for the fake with instant sleeps recorded in
// *sleeps (may be nil).
func (f *fake) client(t *testing.T, cfg Config, sleeps *[]time.Duration) *Client {
	t.Helper()
	cfg.Endpoint = f.srv.URL
	cfg.HTTPClient = f.srv.Client()
	if cfg.Token == nil {
		cfg.Token = func(context.Context, bool) (string, error) { return "secret-token", nil }
	}
	if cfg.RowCap == 0 {
		cfg.RowCap = f.rowCap
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	c.now = func() time.Time { return f.now }
	c.sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		if sleeps != nil {
			*sleeps = append(*sleeps, d)
		}
		return nil
	}
	return c
}

func (f *fake) recorded() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	rec := recorded{Header: r.Header.Clone(), Path: r.URL.Path}
	if err := json.Unmarshal(raw, &rec.Body); err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	q, _ := rec.Body["Query"].(string)
	rec.Timespan, _ = rec.Body["Timespan"].(string)
	_ = json.Unmarshal([]byte(q), &rec.Spec)
	f.mu.Lock()
	n := len(f.calls)
	f.calls = append(f.calls, rec)
	f.inFlight++
	f.peak = max(f.peak, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	if f.fault != nil && f.fault(n, w, rec) {
		return
	}
	rows := f.evaluate(rec)
	if f.maxMatch > 0 && len(rows) > f.maxMatch {
		writeError(w, http.StatusBadRequest, "BadRequest", "Query execution has exceeded the allowed result size. Optimize your query.")
		return
	}
	if rec.Spec.Take > 0 && int64(len(rows)) > rec.Spec.Take {
		rows = rows[:rec.Spec.Take]
	}
	if len(rows) > f.rowCap {
		rows = rows[:f.rowCap]
	}
	cut := -1
	if f.breakAfter != nil {
		cut = f.breakAfter(n)
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"@odata.context":"x","schema":[{"name":"Timestamp","type":"DateTime"},{"name":"Id","type":"Int64"}],"results":[`)
	for i, row := range rows {
		if i == cut {
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, `{"Timestamp":"%s","Id":%d,"ReportId":9007199254740993}`, row.TS.Format("2006-01-02T15:04:05.0000000Z"), row.ID)
	}
	fmt.Fprint(w, `]}`)
}

// evaluate filters and sorts the table as the spec and Timespan say.
func (f *fake) evaluate(rec recorded) []fakeRow {
	q := rec.Spec
	from, to := f.timespan(rec.Timespan)
	var out []fakeRow
	for _, row := range f.rows {
		if row.TS.Before(from) || row.TS.After(to) {
			continue
		}
		if q.Lower != "" {
			lo, _ := time.Parse(time.RFC3339Nano, q.Lower)
			if c := row.TS.Compare(lo); c < 0 || c == 0 && !q.LowerInc {
				continue
			}
		}
		if q.Upper != "" {
			hi, _ := time.Parse(time.RFC3339Nano, q.Upper)
			if c := row.TS.Compare(hi); c > 0 || c == 0 && !q.UpperInc {
				continue
			}
		}
		out = append(out, row)
	}
	rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	slices.SortStableFunc(out, func(a, b fakeRow) int {
		if q.Order == "desc" {
			return b.TS.Compare(a.TS)
		}
		return a.TS.Compare(b.TS)
	})
	return out
}

// timespan interprets the Timespan forms the client sends.
func (f *fake) timespan(ts string) (time.Time, time.Time) {
	day := 24 * time.Hour
	if ts == "" {
		return f.now.Add(-30 * day), f.now
	}
	start, end, two := strings.Cut(ts, "/")
	if !two && strings.HasPrefix(start, "P") {
		days, _ := strconv.Atoi(strings.TrimSuffix(start[1:], "D"))
		return f.now.Add(-time.Duration(days) * day), f.now
	}
	if !two {
		t, err := time.Parse(time.RFC3339, start)
		if err != nil {
			f.t.Errorf("bad Timespan %q", ts)
		}
		return t, f.now
	}
	e, err := time.Parse(time.RFC3339, end)
	if err != nil {
		f.t.Errorf("bad Timespan end %q", ts)
	}
	if strings.HasPrefix(start, "P") && strings.HasSuffix(start, "D") {
		days, _ := strconv.Atoi(start[1 : len(start)-1])
		return e.Add(-time.Duration(days) * day), e
	}
	s, err := time.Parse(time.RFC3339, start)
	if err != nil {
		f.t.Errorf("bad Timespan start %q", ts)
	}
	return s, e
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": message,
		"innerError": map[string]string{"request-id": "req-1"}}})
	w.Write(body)
}

// collect runs req and returns the emitted row IDs and timestamps.
func collect(t *testing.T, c *Client, req Request) ([]int, []time.Time, Stats, error) {
	t.Helper()
	var ids []int
	var times []time.Time
	st, err := c.Run(context.Background(), req, func(row Row) error {
		id, err := strconv.Atoi(row.Value("Id"))
		if err != nil {
			t.Fatalf("bad Id %s", row.Value("Id"))
		}
		ts, err := parseTime(row.Value("Timestamp"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		times = append(times, ts)
		return nil
	})
	return ids, times, st, err
}

// checkOnce fails unless ids holds each of want exactly once.
func checkOnce(t *testing.T, ids []int, want int) {
	t.Helper()
	seen := map[int]int{}
	for _, id := range ids {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %d emitted %d times", id, n)
		}
	}
	if len(seen) != want || len(ids) != want {
		t.Errorf("got %d rows (%d distinct), want %d", len(ids), len(seen), want)
	}
}

// checkSorted fails unless times follow order.
func checkSorted(t *testing.T, times []time.Time, order Order) {
	t.Helper()
	for i := 1; i < len(times); i++ {
		c := times[i].Compare(times[i-1])
		if order == Asc && c < 0 || order == Desc && c > 0 {
			t.Fatalf("row %d at %s is out of %s order after %s", i, times[i], order, times[i-1])
		}
	}
}
