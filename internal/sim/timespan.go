package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// defaultWindow is the time window of a query sent without a Timespan.
const defaultWindow = 30 * 24 * time.Hour

// window is the inclusive time range a query may see.
type window struct{ from, to time.Time }

// defaultSpan is the 30-day window ending at now.
func defaultSpan(now time.Time) window {
	return window{from: now.Add(-defaultWindow), to: now}
}

// parseTimespan reads a Graph Timespan in one of its five forms:
// start/end, duration/end, start/duration, duration (ending now) and start
// (ending now). An empty value means the default window.
func parseTimespan(s string, now time.Time) (window, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return defaultSpan(now), nil
	}
	parts := strings.Split(s, "/")
	var w window
	switch len(parts) {
	case 1:
		if isDuration(parts[0]) {
			d, err := parseISODuration(parts[0])
			if err != nil {
				return w, err
			}
			w = window{from: d.before(now), to: now}
		} else {
			t, err := parseISOTime(parts[0])
			if err != nil {
				return w, err
			}
			w = window{from: t, to: now}
		}
	case 2:
		a, b := parts[0], parts[1]
		switch {
		case isDuration(a) && isDuration(b):
			return w, fmt.Errorf("timespan %q has two durations; give a start or an end time", s)
		case isDuration(a):
			d, err := parseISODuration(a)
			if err != nil {
				return w, err
			}
			end, err := parseISOTime(b)
			if err != nil {
				return w, err
			}
			w = window{from: d.before(end), to: end}
		case isDuration(b):
			start, err := parseISOTime(a)
			if err != nil {
				return w, err
			}
			d, err := parseISODuration(b)
			if err != nil {
				return w, err
			}
			w = window{from: start, to: d.after(start)}
		default:
			start, err := parseISOTime(a)
			if err != nil {
				return w, err
			}
			end, err := parseISOTime(b)
			if err != nil {
				return w, err
			}
			w = window{from: start, to: end}
		}
	default:
		return w, fmt.Errorf("timespan %q has more than one '/'", s)
	}
	if w.from.After(w.to) {
		return w, fmt.Errorf("timespan %q starts after it ends", s)
	}
	return w, nil
}

func isDuration(s string) bool { return strings.HasPrefix(s, "P") || strings.HasPrefix(s, "p") }

// isoTimeLayouts are the ISO 8601 date-time forms accepted; forms without
// a zone are read as UTC.
var isoTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

func parseISOTime(s string) (time.Time, error) {
	for _, layout := range isoTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date and time", s)
}

// maxCalendarUnits bounds the years or months of a duration.
const maxCalendarUnits = 10000

// isoDuration is an ISO 8601 duration: calendar years and months plus a
// fixed part (weeks, days, hours, minutes, seconds; a day is 24 hours).
type isoDuration struct {
	years, months int
	fixed         time.Duration
}

func (d isoDuration) before(t time.Time) time.Time {
	return t.AddDate(-d.years, -d.months, 0).Add(-d.fixed)
}

func (d isoDuration) after(t time.Time) time.Time {
	return t.AddDate(d.years, d.months, 0).Add(d.fixed)
}

// parseISODuration reads PnYnMnWnDTnHnMnS. Years and months must be whole
// numbers; the other parts may have a fraction ("PT1.5H", "P0,5D").
func parseISODuration(s string) (isoDuration, error) {
	var d isoDuration
	bad := func() (isoDuration, error) {
		return isoDuration{}, fmt.Errorf("%q is not an ISO 8601 duration", s)
	}
	rest := strings.ToUpper(s)
	if !strings.HasPrefix(rest, "P") {
		return bad()
	}
	rest = rest[1:]
	inTime, seen, lastRank := false, false, -1
	for rest != "" {
		if rest[0] == 'T' {
			if inTime {
				return bad()
			}
			inTime, rest = true, rest[1:]
			if rest == "" {
				return bad()
			}
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.' || rest[i] == ',') {
			i++
		}
		if i == 0 || i == len(rest) {
			return bad()
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(rest[:i], ",", "."), 64)
		if err != nil {
			return bad()
		}
		rank, unit := durationUnit(rest[i], inTime)
		if rank <= lastRank {
			return bad()
		}
		lastRank, seen = rank, true
		switch rank {
		case 0, 1:
			if num != math.Trunc(num) || num > maxCalendarUnits {
				return bad()
			}
			if rank == 0 {
				d.years = int(num)
			} else {
				d.months = int(num)
			}
		default:
			ns := num * float64(unit)
			if ns+float64(d.fixed) >= math.MaxInt64 {
				return bad()
			}
			d.fixed += time.Duration(ns)
		}
		rest = rest[i+1:]
	}
	if !seen {
		return bad()
	}
	return d, nil
}

// durationUnit ranks a duration designator (so parts must come in order)
// and gives its length; years (0) and months (1) have no fixed length.
func durationUnit(c byte, inTime bool) (int, time.Duration) {
	if inTime {
		switch c {
		case 'H':
			return 4, time.Hour
		case 'M':
			return 5, time.Minute
		case 'S':
			return 6, time.Second
		}
		return -1, 0
	}
	switch c {
	case 'Y':
		return 0, 0
	case 'M':
		return 1, 0
	case 'W':
		return 2, 7 * 24 * time.Hour
	case 'D':
		return 3, 24 * time.Hour
	}
	return -1, 0
}
