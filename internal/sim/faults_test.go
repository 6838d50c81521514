package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFailNext(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	f.s.Faults().FailNext(503, 1)
	f.s.Faults().FailNext(504, 1)
	f.s.Faults().FailNext(500, 1)
	for _, want := range []int{503, 504, 500} {
		r := f.post(graphPath, tok, body)
		if r.status != want {
			t.Fatalf("status %d, want %d", r.status, want)
		}
		if e := graphErr(t, r.body); e.Error.Code != "UnknownError" || e.Error.InnerError.RequestID == "" {
			t.Errorf("%d: envelope %s", want, r.body)
		}
	}
	if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
		t.Errorf("after the failures: status %d", r.status)
	}
	f.s.Faults().FailNext(502, 1)
	r := f.post(mdePath, f.token(appAll, mdeRes), body)
	if r.status != http.StatusBadGateway || mdeErr(t, r.body).Error.Code != "InternalServerError" {
		t.Errorf("MDE 502: status %d: %s", r.status, r.body)
	}
	calls := f.s.Calls()
	if calls[0].Fault != "fail" || calls[3].Fault != "" {
		t.Errorf("call log faults: %q, %q", calls[0].Fault, calls[3].Fault)
	}
}

func TestMalformedNext(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	body := map[string]string{"Query": "DeviceInfo | take 3"}
	f.s.Faults().MalformedNext(1)
	// An error answer does not use up the fault.
	if r := f.post(graphPath, tok, map[string]string{"Query": "NoSuchTable"}); r.status != http.StatusBadRequest {
		t.Fatalf("bad query: status %d", r.status)
	}
	r := f.post(graphPath, tok, body)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if json.Valid(r.body) || len(r.body) == 0 {
		t.Errorf("body is valid JSON or empty: %s", trim(r.body))
	}
	if r := f.post(graphPath, tok, body); !json.Valid(r.body) {
		t.Errorf("second answer still malformed: %s", trim(r.body))
	}
}

func TestResetNext(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	f.s.Faults().ResetNext(1)
	req, _ := http.NewRequest(http.MethodPost, f.s.URL()+graphPath, strings.NewReader(`{"Query":"DeviceProcessEvents | take 20"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := f.client.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("the connection was not broken off")
	}
	if r := f.post(graphPath, tok, map[string]string{"Query": "DeviceInfo | take 1"}); r.status != http.StatusOK || !json.Valid(r.body) {
		t.Errorf("after the reset: status %d", r.status)
	}
	if c := f.s.Calls(); c[0].Fault != "reset" || c[0].Bytes == 0 {
		t.Errorf("call log: %+v", c[0])
	}
}

func TestLatency(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	f.s.Faults().SetLatency(300 * time.Millisecond)
	start := time.Now()
	if r := f.post(graphPath, tok, map[string]string{"Query": "DeviceInfo | take 1"}); r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("answered after %v, before the 300ms latency", d)
	}
}

func TestRowCap(t *testing.T) {
	f := newFixture(t)
	f.s.Faults().SetRowCap(5)
	if got := len(f.graph("DeviceProcessEvents | take 50", "").results); got != 5 {
		t.Errorf("%d rows, want the cap of 5", got)
	}
	if c := f.s.Calls(); c[len(c)-1].Rows != 5 {
		t.Errorf("call log rows = %d", c[len(c)-1].Rows)
	}
	f.s.Faults().SetRowCap(0)
	if got := len(f.graph("DeviceProcessEvents | take 50", "").results); got != 50 {
		t.Errorf("default cap: %d rows, want 50", got)
	}
}

func TestResultSizeLimit(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	f.s.Faults().SetMaxResultBytes(4000)
	small := f.post(graphPath, tok, map[string]string{"Query": "DeviceInfo | take 1 | project DeviceName"})
	if small.status != http.StatusOK {
		t.Fatalf("small result: status %d: %s", small.status, small.body)
	}
	r := f.post(graphPath, tok, map[string]string{"Query": "DeviceProcessEvents | take 100"})
	if r.status != http.StatusBadRequest {
		t.Fatalf("large result: status %d", r.status)
	}
	if e := graphErr(t, r.body); e.Error.Code != "BadRequest" || !strings.Contains(e.Error.Message, "result size") {
		t.Errorf("envelope %s", r.body)
	}
	m := f.post(mdePath, f.token(appAll, mdeRes), map[string]string{"Query": "DeviceProcessEvents | take 100"})
	if m.status != http.StatusBadRequest || !strings.Contains(mdeErr(t, m.body).Error.Message, "result size") {
		t.Errorf("MDE: status %d: %s", m.status, m.body)
	}
}
