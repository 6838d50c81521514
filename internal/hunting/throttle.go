package hunting

import (
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// quotaCycle is Defender's CPU quota period: a tenant blocked at 100 % is
// unblocked at the next cycle.
const quotaCycle = 15 * time.Minute

// RetryAfter reads a Retry-After header given in seconds or as an HTTP
// date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(secs, 0)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// isCPUQuota reports whether a 429 is the per-tenant CPU quota rather than
// the call-rate quota.
func isCPUQuota(code, message string) bool {
	m := strings.ToLower(code + " " + message)
	return strings.Contains(m, "processing resources") || strings.Contains(m, "cpu")
}

var (
	againIn    = regexp.MustCompile(`(?i)again in\s+([^,;]+)`)
	clockSpan  = regexp.MustCompile(`^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?`)
	unitsSpan  = regexp.MustCompile(`(?i)^(\d+)\s*(hour|hr|h|minute|min|m|second|sec|s)`)
	unitScales = map[byte]time.Duration{'h': time.Hour, 'm': time.Minute, 's': time.Second}
)

// messageWait reads "... again in <duration>" from a quota message. The
// duration may be a .NET time span ("00:12:30"), a Go duration ("12m30s")
// or a count with a unit ("12 minutes").
func messageWait(message string) (time.Duration, bool) {
	m := againIn.FindStringSubmatch(message)
	if m == nil {
		return 0, false
	}
	s := strings.TrimSpace(m[1])
	if f := strings.Fields(s); len(f) > 0 {
		if d, err := time.ParseDuration(strings.TrimRight(f[0], ".")); err == nil {
			return d, true
		}
	}
	if c := clockSpan.FindStringSubmatch(s); c != nil {
		days, _ := strconv.Atoi(c[1])
		h, _ := strconv.Atoi(c[2])
		mi, _ := strconv.Atoi(c[3])
		se, _ := strconv.Atoi(c[4])
		return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour +
			time.Duration(mi)*time.Minute + time.Duration(se)*time.Second, true
	}
	if u := unitsSpan.FindStringSubmatch(s); u != nil {
		n, _ := strconv.Atoi(u[1])
		return time.Duration(n) * unitScales[strings.ToLower(u[2])[0]], true
	}
	return 0, false
}

// nextCycle is the start of the next 15-minute quota cycle after now.
func nextCycle(now time.Time) time.Time {
	return now.UTC().Truncate(quotaCycle).Add(quotaCycle)
}

// Backoff is the jittered exponential backoff before retry n (1-based):
// between half and all of base·2^(n-1), capped at ceiling.
func Backoff(base, ceiling time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	return d/2 + rand.N(d/2+1)
}
