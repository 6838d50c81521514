package sim

import (
	"sync"
	"time"
)

// cycle is the length of Defender's CPU accounting cycle.
const cycle = 15 * time.Minute

// rateWindow is the sliding window of the request-rate quota.
const rateWindow = time.Minute

// Faults holds the hunting APIs' quotas and the faults a test can switch
// on. It is safe for concurrent use.
type Faults struct {
	mu             sync.Mutex
	now            func() time.Time
	rateLimit      int
	calls          map[string][]time.Time
	cpuUntil       time.Time
	latency        time.Duration
	failures       []int
	malformed      int
	resets         int
	rowCap         int
	maxResultBytes int64
}

func newFaults(cfg Config) *Faults {
	return &Faults{
		now:            cfg.Now,
		rateLimit:      DefaultRateLimit,
		calls:          map[string][]time.Time{},
		rowCap:         cfg.RowCap,
		maxResultBytes: cfg.MaxResultBytes,
	}
}

// SetRateLimit sets the calls allowed per tenant in any sliding minute;
// 0 disables the limit. The default is 45.
func (f *Faults) SetRateLimit(perMinute int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rateLimit = max(perMinute, 0)
}

// ExhaustCPU makes every tenant's CPU quota exhausted until the given
// time; a zero time means the next 15-minute cycle of the simulator clock.
// A time in the past lifts the block.
func (f *Faults) ExhaustCPU(until time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if until.IsZero() {
		until = NextCycle(f.now())
	}
	f.cpuUntil = until
}

// NextCycle returns the start of the 15-minute CPU cycle after t.
func NextCycle(t time.Time) time.Time {
	return t.Truncate(cycle).Add(cycle)
}

// ResetQuotas forgets the calls counted against the rate limit and lifts
// a CPU block.
func (f *Faults) ResetQuotas() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = map[string][]time.Time{}
	f.cpuUntil = time.Time{}
}

// SetLatency delays every hunting response by d.
func (f *Faults) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = max(d, 0)
}

// FailNext makes the next n hunting calls fail with the given HTTP status
// (500, 502, 503 or 504 in practice) and an UnknownError envelope, before
// any other check. Calls queue up: FailNext(503, 1) then FailNext(504, 1)
// fails one call with each.
func (f *Faults) FailNext(status int, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.failures = append(f.failures, status)
	}
}

// MalformedNext makes the next n successful responses carry a truncated,
// invalid JSON body with status 200.
func (f *Faults) MalformedNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.malformed += max(n, 0)
}

// ResetNext makes the next n successful responses break off: the
// connection is closed after part of the body was sent.
func (f *Faults) ResetNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resets += max(n, 0)
}

// SetRowCap sets the most rows a query returns (0 restores the default).
func (f *Faults) SetRowCap(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n <= 0 {
		n = DefaultRowCap
	}
	f.rowCap = n
}

// SetMaxResultBytes sets the result size limit (0 restores the default).
func (f *Faults) SetMaxResultBytes(n int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n <= 0 {
		n = DefaultMaxResultBytes
	}
	f.maxResultBytes = n
}

// limits returns the current row cap and result size limit.
func (f *Faults) limits() (int, int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rowCap, f.maxResultBytes
}

func (f *Faults) currentLatency() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latency
}

// takeFailure consumes one queued failure status, or returns 0.
func (f *Faults) takeFailure() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.failures) == 0 {
		return 0
	}
	st := f.failures[0]
	f.failures = f.failures[1:]
	return st
}

// corruption says how a successful response is to be damaged.
type corruption int

const (
	intact corruption = iota
	malformed
	reset
)

// takeCorruption consumes one pending reset or malformed-body fault;
// resets go first.
func (f *Faults) takeCorruption() corruption {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.resets > 0:
		f.resets--
		return reset
	case f.malformed > 0:
		f.malformed--
		return malformed
	}
	return intact
}

// quota names the limit a throttled call hit.
type quota int

const (
	noQuota quota = iota
	rateQuota
	cpuQuota
)

// admit counts a call against the tenant's quotas at time now. It returns
// the quota that refuses the call, if any, and how long until it resets.
// Refused calls are not counted.
func (f *Faults) admit(tenant string, now time.Time) (quota, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if now.Before(f.cpuUntil) {
		return cpuQuota, f.cpuUntil.Sub(now)
	}
	if f.rateLimit == 0 {
		return noQuota, 0
	}
	recent := f.calls[tenant]
	cut := 0
	for cut < len(recent) && !recent[cut].After(now.Add(-rateWindow)) {
		cut++
	}
	recent = recent[cut:]
	if len(recent) >= f.rateLimit {
		f.calls[tenant] = recent
		return rateQuota, recent[len(recent)-f.rateLimit].Add(rateWindow).Sub(now)
	}
	f.calls[tenant] = append(recent, now)
	return noQuota, 0
}

func (f *Faults) rateLimitValue() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rateLimit
}
