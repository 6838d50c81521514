package pgtime

import (
	"os"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtest"
)

// The test binary shares one throw-away cluster; pg is nil and pgErr says
// why when it could not start.
var (
	pg    *pgtest.Server
	pgErr error
)

func TestMain(m *testing.M) {
	pg, pgErr = pgtest.Start()
	code := m.Run()
	if pg != nil {
		pg.Stop()
	}
	os.Exit(code)
}

// fdwText is a timestamp as Steampipe's FDW hands it to timestamptz input:
// RFC 3339 in UTC with every fractional digit the value has, trailing
// zeros dropped (ptypes.TimestampString).
func fdwText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// sweep returns the boundary cases whose stored value the ground-truth
// test asks PostgreSQL for.
func sweep() []time.Time {
	var out []time.Time
	add := func(sec time.Time, ns int64) { out = append(out, sec.Add(time.Duration(ns))) }
	seconds := []time.Time{
		at("2026-11-23T09:41:00Z"), at("2026-12-31T23:59:59Z"), at("2024-02-29T12:00:00Z"),
		at("2000-01-01T00:00:00Z"), at("1999-12-31T23:59:59Z"), at("2038-01-19T03:14:07Z"),
	}
	// Every 7th digit after 6-digit prefixes near the edges and in between.
	for _, sec := range seconds {
		for _, us := range []int64{0, 1, 123456, 249999, 499999, 500000, 654321, 999998, 999999} {
			for d := int64(0); d < 10; d++ {
				add(sec, us*1000+d*100)
			}
		}
	}
	// Every exact half .xxxxxx5 over the first and last 2,500 prefixes of a
	// second, and every 97th prefix across the whole second.
	for us := int64(0); us < 2500; us++ {
		add(seconds[0], us*1000+500)
		add(seconds[1], (999999-us)*1000+500)
	}
	for us := int64(0); us < 1000000; us += 97 {
		add(seconds[2], us*1000+500)
	}
	// .9999995 to .9999999 carry into the next second, minute, day and year.
	for _, sec := range seconds {
		for d := int64(5); d <= 9; d++ {
			add(sec, 999999000+d*100)
		}
	}
	// One to six fractional digits, as the FDW writes them.
	for _, ns := range []int64{1e8, 5e8, 9e8, 12e7, 5e7, 123e6, 5e6, 1234e5, 5e5, 12345e4, 5e4, 123456e3, 1e3, 999999e3} {
		for _, sec := range seconds {
			add(sec, ns)
		}
	}
	return out
}

// TestStoredMatchesPostgres asks a real server what it stores for each
// boundary case, in one statement, and compares every value with Stored.
func TestStoredMatchesPostgres(t *testing.T) {
	s := pgtest.Require(t, pg, pgErr)
	in := sweep()
	got := storedByPostgres(t, s, in)
	bad := 0
	for i, c := range in {
		if want := Stored(c); !got[i].Equal(want) {
			if bad++; bad <= 20 {
				t.Errorf("'%s'::timestamptz is %s in PostgreSQL, Stored says %s",
					fdwText(c), got[i].Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		}
	}
	t.Logf("%d values checked, %d disagree", len(in), bad)
}

// TestLowestMatchesPostgres checks that Lowest(v) is the exact boundary in
// PostgreSQL: Lowest(v) stores v or later, the tick before it stores less.
func TestLowestMatchesPostgres(t *testing.T) {
	s := pgtest.Require(t, pg, pgErr)
	var vs, in []time.Time
	base := at("2026-11-23T09:41:59.998000Z")
	for i := 0; i < 2000; i++ {
		v := base.Add(time.Duration(i) * time.Microsecond)
		if i%10 == 3 {
			v = v.Add(300 * time.Nanosecond) // between microseconds: Lowest rounds v up
		}
		lo := Lowest(v)
		vs = append(vs, v)
		in = append(in, lo, lo.Add(-Tick))
	}
	got := storedByPostgres(t, s, in)
	for i, v := range vs {
		ceil := v.Truncate(time.Microsecond)
		if !ceil.Equal(v) {
			ceil = ceil.Add(time.Microsecond)
		}
		at, before := got[2*i], got[2*i+1]
		if at.Before(ceil) || !before.Before(ceil) {
			t.Errorf("Lowest(%s) = %s: PostgreSQL stores %s for it and %s for the tick before",
				fdwText(v), fdwText(in[2*i]), fdwText(at), fdwText(before))
		}
	}
}

// storedByPostgres returns what PostgreSQL stores for each value's FDW
// text, in order, from one statement.
func storedByPostgres(t *testing.T, s *pgtest.Server, in []time.Time) []time.Time {
	t.Helper()
	texts := make([]string, len(in))
	for i, c := range in {
		texts[i] = fdwText(c)
	}
	rows, err := s.DB().Query(`select u.s::timestamptz from unnest($1::text[]) with ordinality as u(s, n) order by u.n`, texts)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := make([]time.Time, 0, len(in))
	for rows.Next() {
		var v time.Time
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("PostgreSQL returned %d values for %d", len(out), len(in))
	}
	return out
}
