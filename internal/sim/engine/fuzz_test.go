package engine

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse and Run never panic and only ever report
// *Error values.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"T",
		"T | where Id == 1",
		"T | where Name has 'alpha' and Score > 5 | project Id, Name",
		"T | where Name !in~ ('a', \"b\") | take 3",
		"T | where Name matches regex @'\\A(?s)a.*\\z'",
		"T | where Name matches regex '\\d'",
		"T | where When between (ago(1d) .. now())",
		"T | where Score !between (1 .. 2)",
		"T | sort by Score asc nulls last, Id | top 2 by Id",
		"T | summarize count(), dcount(Name), make_set(Flag, 3) by bin(When, 1h)",
		"T | summarize by Flag",
		"T | extend x = Blob.a[0], y = Blob['k'] | project-away Bl*",
		"T | distinct Flag, Small",
		"T | count",
		"let x = 3; T | where Score > x",
		"['T'] | project ['Id']",
		"T | where Id in (dynamic([1, [2, 3]]))",
		"T | where Name has_any ('a', 'b') or Name has_all ('c')",
		"T | where isnull(Score) or isempty(Name) or not(Flag)",
		"T | project v = iff(Flag, 1, 2.5), w = coalesce(Score, 0), z = column_ifexists('Q', '')",
		"T | project strcat(Name, tostring(When), tostring(Span)), strlen(Name), tolower(Name)",
		"T | where Ratio > real(+inf) or isnan(Ratio)",
		"T | where When > datetime(2026-01-01T00:00:00.1234567Z)",
		"T | where Span > 1.5h and Span < timespan(1.00:00:00)",
		"T | where Uid == guid(11111111-1111-1111-1111-111111111111)",
		"T | where Name == \"\\u00e9\\U0001F600\\x41\\101\"",
		"T | where Name == ```multi\nline```",
		"T | where Name == h'secret' 'concat'",
		"T | where Name in ()",
		"T | where Name == '\\q'",
		"T | join T on Id",
		"T | where 7 / 0 == 1 % 0",
		"T | where -Score < - -1",
		"T | where Name has ''",
		"T | where Small + Small > long(-9223372036854775808)",
		"T | project a = 1 | project b = a * 2 | summarize sum(b)",
		"T | where Blob.k.x[\"y\"][-1] == 1",
		"T | where Name =~ 'x' // comment",
		"Empty | summarize max(Name), avg(Ratio), take_any(When)",
		"T | where (((Id == 1)))",
		"T | where Id == 1 |",
		"T | where",
		"A$",
		"union T, Empty | count",
		"union kind=inner withsource=S T, Empty | T",
		"T | union Empty | take 2",
		"$x | take 1",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	cat := testCatalog()
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) returned %T", src, err)
			}
			return
		}
		if _, err := q.Eval(cat, fixedClock); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Eval(%q) returned %T", src, err)
			}
		}
	})
}
