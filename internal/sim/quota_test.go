package sim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	other := f.token(appOther, graphRes)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	f.s.Faults().SetRateLimit(3)
	for i := range 3 {
		if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
			t.Fatalf("call %d: status %d: %s", i+1, r.status, r.body)
		}
		f.clock.Advance(time.Second)
	}
	// Calls at t0, t0+1s and t0+2s fill the window; at t0+3s the first
	// call leaves it 57 seconds later.
	r := f.post(graphPath, tok, body)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("4th call: status %d", r.status)
	}
	if got := r.header.Get("Retry-After"); got != "57" {
		t.Errorf("Retry-After = %q, want 57", got)
	}
	e := graphErr(t, r.body)
	if e.Error.Code != "TooManyRequests" || !strings.Contains(strings.ToLower(e.Error.Message), "rate") {
		t.Errorf("envelope %s does not name the request-rate quota", r.body)
	}
	if r := f.post(graphPath, other, body); r.status != http.StatusOK {
		t.Errorf("another tenant was throttled too: status %d", r.status)
	}
	f.clock.Advance(56 * time.Second)
	if r := f.post(graphPath, tok, body); r.status != http.StatusTooManyRequests {
		t.Errorf("one second early: status %d", r.status)
	}
	f.clock.Advance(time.Second)
	if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
		t.Errorf("after Retry-After: status %d: %s", r.status, r.body)
	}
	f.s.Faults().SetRateLimit(0)
	for i := range 10 {
		if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
			t.Fatalf("unlimited, call %d: status %d", i, r.status)
		}
	}
}

func TestDefaultRateLimitIs45(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, mdeRes)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	for i := range 45 {
		if r := f.post(mdePath, tok, body); r.status != http.StatusOK {
			t.Fatalf("call %d: status %d: %s", i+1, r.status, r.body)
		}
	}
	r := f.post(mdePath, tok, body)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "60" {
		t.Fatalf("46th call in the same second: status %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if mdeErr(t, r.body).Error.Code != "TooManyRequests" {
		t.Errorf("MDE envelope %s", r.body)
	}
}

func TestCPUQuota(t *testing.T) {
	f := newFixture(t)
	tok := f.token(appAll, graphRes)
	body := map[string]string{"Query": "DeviceInfo | take 1"}
	f.s.Faults().ExhaustCPU(time.Time{})
	r := f.post(graphPath, tok, body)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("status %d", r.status)
	}
	// t0 is 12:07:30; the next cycle starts at 12:15:00.
	if got := r.header.Get("Retry-After"); got != "450" {
		t.Errorf("Retry-After = %q, want 450", got)
	}
	msg := graphErr(t, r.body).Error.Message
	if !strings.Contains(msg, "CPU") || !strings.Contains(msg, "12:15:00") {
		t.Errorf("message %q does not name the CPU quota and its reset time", msg)
	}
	f.clock.Advance(449 * time.Second)
	if r := f.post(graphPath, tok, body); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Errorf("a second before the cycle: status %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	f.clock.Advance(time.Second)
	if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
		t.Errorf("next cycle: status %d", r.status)
	}
	f.s.Faults().ExhaustCPU(t0.Add(time.Hour))
	if r := f.post(graphPath, tok, body); r.status != http.StatusTooManyRequests {
		t.Errorf("explicit until: status %d", r.status)
	}
	f.s.Faults().ResetQuotas()
	if r := f.post(graphPath, tok, body); r.status != http.StatusOK {
		t.Errorf("after ResetQuotas: status %d", r.status)
	}
}
