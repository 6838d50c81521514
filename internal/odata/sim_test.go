package odata_test

import (
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/odata"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/odatafilter"
)

// stringSeeds are the corpus of FuzzODataString: quotes in every place,
// filter syntax, URL syntax, controls, and text outside ASCII and the BMP.
var stringSeeds = []string{
	"", "active", "'", "''", "'''", "it's", "a'", "'a", "a''b",
	"x' or status eq 'y", "') or (1 eq 1", "a' and not (b eq 'c",
	"x eq 'y'", "null", "true", "2024-01-01T00:00:00Z", "(", ")", ",",
	"&$top=1", "#frag", "%27", "%", "+", " leading and trailing ", "\t\n\r",
	`\'`, `\\`, `"`, "\u2028\u2029\ufeff", "Grüße, Привет, 你好 🎉", "😀𝄞",
	"alice.moreau@larkspur.example", "a\x00b", "bad\xff",
}

// FuzzODataString checks the string encoder's contract against the
// simulator's independent OData parser: for every string, either the
// encoder refuses it (invalid UTF-8 or NUL) or a filter built from its
// literal parses as exactly one comparison whose value is the string, with
// the clause after it intact.
func FuzzODataString(f *testing.F) {
	for _, s := range stringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lit, err := odata.String(s)
		if !utf8.ValidString(s) || containsNUL(s) {
			if !errors.Is(err, odata.ErrNotExact) {
				t.Fatalf("String(%q) = %s, %v; want ErrNotExact", s, lit, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("String(%q): %v", s, err)
		}
		src := odata.And(odata.Compare("assignedTo", odata.Eq, lit), odata.Compare("status", odata.Ne, "'resolved'"))
		e, err := odatafilter.Parse(src)
		if err != nil {
			t.Fatalf("filter %s does not parse: %v", src, err)
		}
		want := odatafilter.Bool{And: true,
			L: odatafilter.Cmp{Property: "assignedTo", Op: "eq", Value: s},
			R: odatafilter.Cmp{Property: "status", Op: "ne", Value: "resolved"}}
		if e != odatafilter.Expr(want) {
			t.Fatalf("filter %s parsed as %#v, want %#v", src, e, want)
		}
	})
}

// FuzzODataDateTimeOffset checks the datetime encoder the same way, for
// instants in ticks and in arbitrary nanoseconds.
func FuzzODataDateTimeOffset(f *testing.F) {
	for _, t := range []time.Time{
		time.Date(2024, 3, 5, 7, 8, 9, 123456700, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 0, 50, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		f.Add(t.Unix(), int64(t.Nanosecond()))
	}
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		ts := time.Unix(sec, nsec).UTC()
		lit, err := odata.DateTimeOffset(ts)
		if ts.Year() < 1 || ts.Year() > 9999 || ts.Nanosecond()%100 != 0 {
			if !errors.Is(err, odata.ErrNotExact) {
				t.Fatalf("DateTimeOffset(%v) = %s, %v; want ErrNotExact", ts, lit, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("DateTimeOffset(%v): %v", ts, err)
		}
		e, err := odatafilter.Parse(odata.Compare("createdDateTime", odata.Ge, lit))
		if err != nil {
			t.Fatalf("%s does not parse: %v", lit, err)
		}
		c, ok := e.(odatafilter.Cmp)
		if got, isTime := c.Value.(time.Time); !ok || !isTime || !got.Equal(ts) {
			t.Fatalf("%s parsed as %#v, want %v", lit, e, ts)
		}
	})
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}
