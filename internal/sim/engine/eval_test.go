package engine

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// checkIDs runs each query and compares the Id column in order.
func checkIDs(t *testing.T, cases map[string][]int64) {
	t.Helper()
	for q, want := range cases {
		if got := ids(t, q); !slices.Equal(got, want) {
			t.Errorf("%s\n  got  %v\n  want %v", q, got, want)
		}
	}
}

func TestThreeValuedNullQuirks(t *testing.T) {
	// Score is null only in row 2.
	checkIDs(t, map[string][]int64{
		"T | where Score == 10":                                       {1},
		"T | where Score != 10":                                       {2, 3, 4, 5}, // null != value is true
		"T | where Score <> 10":                                       {2, 3, 4, 5},
		"T | where not(Score == 10)":                                  {2, 3, 4, 5}, // not(false) for the null row
		"T | where not(Score > 15)":                                   {1, 4},       // null > 15 is null, not(null) is null
		"T | where Score > 15":                                        {3, 5},
		"T | where Score in (10, 30)":                                 {1, 3},
		"T | where Score !in (10, 30)":                                {2, 4, 5}, // !in is the AND of !=
		"T | where Score + 1 > 0":                                     {1, 3, 5},
		"T | where Flag":                                              {1, 4},
		"T | where Flag or Score > 25":                                {1, 3, 4}, // null or true
		"T | where Flag and Score > 25":                               {},
		"T | where not(Flag)":                                         {2, 5},
		"T | where Span != 1h":                                        {2, 3, 4, 5},
		"T | where Uid != guid(11111111-1111-1111-1111-111111111111)": {2, 3, 4, 5},
	})
	logic := map[string]Value{
		"bool(null) and false":     false,
		"false and bool(null)":     false,
		"bool(null) and true":      nil,
		"bool(null) or true":       true,
		"bool(null) or false":      nil,
		"not(bool(null))":          nil,
		"long(null) == long(null)": nil,
		"long(null) != long(null)": nil,
		"long(null) == 1":          false,
		"long(null) != 1":          true,
		"long(null) < 1":           nil,
		"long(null) in (1, 2)":     false,
		"long(null) !in (1, 2)":    true,
	}
	for e, want := range logic {
		if got := scalar(t, e); got != want {
			t.Errorf("%s = %v, want %v", e, got, want)
		}
	}
}

func TestStringsAreNeverNull(t *testing.T) {
	checkIDs(t, map[string][]int64{
		"T | where isnull(Name)":     {},
		"T | where isnotnull(Name)":  {1, 2, 3, 4, 5},
		"T | where isempty(Name)":    {3},
		"T | where isnotempty(Name)": {1, 2, 4, 5},
		"T | where Name == ''":       {3},
		"T | where isnull(Blob)":     {2},
		"T | where isempty(Blob)":    {2},
		"T | where isnull(Score)":    {2},
		"T | where isempty(Score)":   {2},
	})
	for e, want := range map[string]Value{
		`isnull("")`:               false,
		`isempty("")`:              true,
		`isnull(parse_json(""))`:   true,
		`isnull(parse_json("[]"))`: false,
		`isempty(dynamic({}))`:     false,
		`tostring(long(null))`:     "",
	} {
		if got := scalar(t, e); got != want {
			t.Errorf("%s = %v, want %v", e, got, want)
		}
	}
}

func TestCaseInsensitiveFoldsASCIIOnly(t *testing.T) {
	// Row 5 is "Éclair café".
	checkIDs(t, map[string][]int64{
		`T | where Name =~ "ÉCLAIR CAFé"`:            {5},
		`T | where Name =~ "éclair café"`:            {}, // É and é are not folded
		`T | where Name !~ "ALPHA"`:                  {2, 3, 4, 5},
		`T | where Name contains "CAFÉ"`:             {},
		`T | where Name contains "CLAIR"`:            {5},
		`T | where Name in~ ("ALPHA", "BETA GAMMA")`: {1, 2},
		`T | where Name !in~ ("ALPHA")`:              {2, 3, 4, 5},
		`T | where Name in ("ALPHA")`:                {},
		`T | where tolower(Name) == "éclair café"`:   {5}, // tolower folds Unicode
		`T | where toupper(Name) == "ÉCLAIR CAFÉ"`:   {5},
		`T | where Name startswith "al"`:             {1},
		`T | where Name startswith_cs "al"`:          {},
		`T | where Name endswith "RUN"`:              {4},
		`T | where Name !endswith "RUN"`:             {1, 2, 3, 5},
		`T | where Name endswith_cs "Run"`:           {4},
		`T | where Name !contains_cs "a"`:            {3, 4},
		`T | where Name !startswith_cs "A"`:          {2, 3, 4, 5},
	})
}

func TestHasTermRules(t *testing.T) {
	checkIDs(t, map[string][]int64{
		`T | where Name has "Explorer"`:                 {}, // inside a term
		`T | where Name contains "Explorer"`:            {4},
		`T | where Name has "kustoexplorerqueryrun"`:    {4},
		`T | where Name has_cs "kustoexplorerqueryrun"`: {},
		`T | where Name has "gamma"`:                    {2},
		`T | where Name has "gam"`:                      {},
		`T | where Name has "beta gamma"`:               {2}, // a phrase of two terms
		`T | where Name has "ta gam"`:                   {},  // starts inside a term
		`T | where Name has " gamma"`:                   {2}, // leading space: no left check
		`T | where Name hasprefix "gam"`:                {2},
		`T | where Name hasprefix "amma"`:               {},
		`T | where Name hassuffix "mma"`:                {2},
		`T | where Name hassuffix "gam"`:                {},
		`T | where Name hasprefix_cs "Kusto"`:           {4},
		`T | where Name !hasprefix "kusto"`:             {1, 2, 3, 5},
		`T | where Name !has "alpha"`:                   {2, 3, 4, 5},
		`T | where Name !has_cs "Alpha"`:                {2, 3, 4, 5},
		`T | where Name has "caf"`:                      {5}, // non-ASCII letters end an ASCII term
		`T | where Name has_any ("gamma", "alpha")`:     {1, 2},
		`T | where Name has_any (dynamic(["ALPHA"]))`:   {1},
		`T | where Name has_all ("beta", "gamma")`:      {2},
		`T | where Name has_all ("beta", "alpha")`:      {},
		`T | where Blob has "v"`:                        {1}, // dynamic text form {"a":[1,2],"k":"v","n":3}
	})
	for _, q := range []string{`T | where Name has ""`, `T | where Name !has_cs ""`, `T | where Name has_any ("a", "")`, `T | where Name hasprefix ''`} {
		if k, msg := errKind(q); k != SemanticError {
			t.Errorf("%q: %v %q, want a SemanticError for the empty term", q, k, msg)
		}
	}
	if k, _ := errKind(`T | where Name has Name`); k != SemanticError {
		t.Errorf("has with an empty right side at run time must fail, got kind %v", k)
	}
}

func TestMatchesRegexSubset(t *testing.T) {
	checkIDs(t, map[string][]int64{
		`T | where Name matches regex "lph"`:             {1}, // unanchored search
		`T | where Name matches regex "LPH"`:             {},  // case-sensitive
		`T | where Name matches regex @"\A(?s)Al.*\z"`:   {1},
		`T | where Name matches regex "^[a-z]+ [a-z]+$"`: {2},
		`T | where Name matches regex @"Query\.?Run"`:    {4},
		`T | where Name matches regex "(?i)ALPHA"`:       {1},
		`T | where Name matches regex "[<>]"`:            {},
	})
	for _, pat := range []string{`\<`, `\>a`, `[a&&b]`, `[a--b]`, `[a~~b]`, `\u0041`, `\U00000041`, `\d+`, `\w`, `\s`, `\bx`, `\B`, `\D`, `(a)\1`, `[[a]]`, `\Qa\E`, `(?x)a`, `a{`, `(`} {
		q := `T | where Name matches regex @"` + pat + `"`
		if k, msg := errKind(q); k != SemanticError {
			t.Errorf("%s: kind %v (%s), want SemanticError", pat, k, msg)
		}
	}
	if k, _ := errKind(`T | where Name matches regex Name`); k != SemanticError {
		t.Error("a non-constant pattern must be rejected")
	}
	many := `T | where Name matches regex "` + strings.Repeat("(a)", 17) + `"`
	if k, _ := errKind(many); k != LimitError {
		t.Errorf("17 groups: kind %v, want LimitError", k)
	}
}

func TestStrictTyping(t *testing.T) {
	for _, q := range []string{
		`T | where Name == 1`,
		`T | where Score == "10"`,
		`T | where When == "2026-11-27T10:00:00Z"`,
		`T | where When > "2026-11-27"`,
		`T | where Uid == "11111111-1111-1111-1111-111111111111"`,
		`T | where Name < "b"`,
		`T | where Name >= Name`,
		`T | where Flag > false`,
		`T | where Uid < Uid`,
		`T | where Name in (1, 2)`,
		`T | where Score in ("10")`,
		`T | where Score has "1"`,
		`T | where Name + "x" == "y"`,
		`T | where Score between ("a" .. "b")`,
		`T | where Score`,
		`T | where Flag and Score`,
		`T | where When == 5`,
		`T | where Span == 5`,
		`T | where tolower(Score) == "x"`,
	} {
		if k, msg := errKind(q); k != SemanticError {
			t.Errorf("%q: kind %v (%s), want SemanticError", q, k, msg)
		}
	}
	// int → long → real promotion.
	checkIDs(t, map[string][]int64{
		`T | where Score == 10.0`:  {1},
		`T | where Small == 7`:     {1},
		`T | where Small < 2.5`:    {3, 4},
		`T | where Ratio > Small`:  {},
		`T | where Id in (1, 2.0)`: {1, 2},
	})
	types := map[string]Type{
		"Small + Small": TInt, "Small + 1": TLong, "Score + 0.5": TReal, "When - When": TTimespan,
		"When + 1h": TDateTime, "Span * 2": TTimespan, "Span / 1m": TReal, "strlen(Name)": TLong,
	}
	for e, want := range types {
		res := run(t, "T | project v = "+e)
		if res.Columns[0].Type != want {
			t.Errorf("%s: type %s, want %s", e, res.Columns[0].Type, want)
		}
	}
}

func TestUnknownNamesAreSemanticErrors(t *testing.T) {
	cases := map[string]string{
		"T | where id == 1":                  "Failed to resolve scalar expression named 'id'",
		"T | project Id, Nope":               "'project' operator: Failed to resolve scalar expression named 'Nope'",
		"T | extend x = Missing + 1":         "Failed to resolve scalar expression named 'Missing'",
		"T | sort by Nope":                   "Failed to resolve scalar expression named 'Nope'",
		"T | project-away Nope":              "Failed to resolve scalar expression named 'Nope'",
		"T | distinct Nope":                  "Failed to resolve scalar expression named 'Nope'",
		"T | summarize count() by Nope":      "Failed to resolve scalar expression named 'Nope'",
		"t | count":                          "Failed to resolve table expression named 't'",
		"DeviceEvents | take 1":              "Failed to resolve table expression named 'DeviceEvents'",
		"T | project Id | where Name == 'x'": "Failed to resolve scalar expression named 'Name'",
	}
	for q, want := range cases {
		k, msg := errKind(q)
		if k != SemanticError || !strings.Contains(msg, want) || !strings.Contains(msg, "SEM0100") {
			t.Errorf("%q: %v %q, want SemanticError containing %q", q, k, msg, want)
		}
	}
}

func TestSortDefaultsAndNullPlacement(t *testing.T) {
	checkIDs(t, map[string][]int64{
		"T | sort by Score | project Id":                  {3, 5, 1, 4, 2}, // desc, nulls last
		"T | order by Score desc | project Id":            {3, 5, 1, 4, 2},
		"T | sort by Score asc | project Id":              {2, 4, 1, 5, 3}, // asc, nulls first
		"T | sort by Score desc nulls first | project Id": {2, 3, 5, 1, 4},
		"T | sort by Score asc nulls last | project Id":   {4, 1, 5, 3, 2},
		"T | sort by Ratio asc | project Id":              {2, 3, 4, 5, 1}, // NaN sorts with null
		"T | sort by Ratio | project Id":                  {1, 5, 4, 2, 3},
		"T | sort by Flag asc, Id desc | project Id":      {3, 5, 2, 4, 1},
		"T | sort by Name asc | project Id":               {3, 1, 4, 2, 5}, // ordinal
		"T | sort by When | project Id":                   {5, 1, 2, 4, 3},
		"T | top 2 by Score":                              {3, 5},
		"T | top 2 by Score asc":                          {2, 4},
		"T | top 3 by Score asc nulls last":               {4, 1, 5},
		"T | top 0 by Score":                              {},
	})
}

func TestTakeStopsTheScanEarly(t *testing.T) {
	scanned := 0
	big := &Table{Name: "Big", Columns: []Column{{"Id", TLong}}, Scan: func(yield func([]Value) bool) {
		row := make([]Value, 1)
		for i := range 1000000 {
			scanned++
			row[0] = int64(i)
			if !yield(row) {
				return
			}
		}
	}}
	cat := memCatalog{"Big": big}
	for q, want := range map[string]int{
		"Big | take 3":                       3,
		"Big | where Id % 2 == 1 | limit 2":  4,
		"Big | project Id | take 1 | take 5": 1,
		"Big | extend x = Id * 2 | take 10":  10,
	} {
		scanned = 0
		res, err := Run(q, cat, fixedClock)
		if err != nil {
			t.Fatal(err)
		}
		if scanned != want {
			t.Errorf("%s scanned %d rows, want %d", q, scanned, want)
		}
		if q == "Big | take 3" && len(res.Rows) != 3 {
			t.Errorf("take 3 returned %d rows", len(res.Rows))
		}
	}
	if got := ids(t, "T | take 0"); len(got) != 0 {
		t.Errorf("take 0 returned %v", got)
	}
	if k, _ := errKind("T | take Id"); k != SemanticError {
		t.Error("take with a column must be rejected")
	}
}

func TestCountOperator(t *testing.T) {
	for q, want := range map[string]int64{"T | count": 5, "Empty | count": 0, "T | where Score > 15 | count": 2} {
		res := run(t, q)
		if len(res.Columns) != 1 || res.Columns[0] != (Column{"Count", TLong}) {
			t.Fatalf("%s: columns %v", q, res.Columns)
		}
		if len(res.Rows) != 1 || res.Rows[0][0] != want {
			t.Errorf("%s: rows %v, want [[%d]]", q, res.Rows, want)
		}
	}
}

func TestSummarizeEmptyInput(t *testing.T) {
	res := run(t, "Empty | summarize count(), countif(Flag), dcount(Name), sum(Score), max(Score), avg(Ratio), make_set(Name), take_any(Name)")
	if len(res.Rows) != 1 {
		t.Fatalf("no by: %d rows, want 1", len(res.Rows))
	}
	r := res.Rows[0]
	if r[0] != int64(0) || r[1] != int64(0) || r[2] != int64(0) || r[3] != int64(0) || r[4] != nil || r[5] != nil {
		t.Errorf("defaults %v", r)
	}
	if d, ok := r[6].(Dynamic); !ok || len(d.V.([]any)) != 0 {
		t.Errorf("make_set on empty input = %#v, want []", r[6])
	}
	if res := run(t, "Empty | summarize count() by Flag"); len(res.Rows) != 0 {
		t.Errorf("with by: %d rows, want 0", len(res.Rows))
	}
	if res := run(t, "T | where Id > 100 | summarize n = count()"); len(res.Rows) != 1 || res.Rows[0][0] != int64(0) {
		t.Errorf("filtered to empty: %v", res.Rows)
	}
}

func TestSummarizeAggregates(t *testing.T) {
	res := run(t, "T | summarize count(), countif(Score > 0), dcount(Flag), sum(Score), min(Score), max(Score), avg(Score), make_set(Flag), take_any(Name), min(Name), sum(Small) by Flag")
	wantCols := []Column{
		{"Flag", TBool}, {"count_", TLong}, {"countif_", TLong}, {"dcount_Flag", TLong}, {"sum_Score", TLong},
		{"min_Score", TLong}, {"max_Score", TLong}, {"avg_Score", TReal}, {"set_Flag", TDynamic},
		{"any_Name", TString}, {"min_Name", TString}, {"sum_Small", TLong},
	}
	if !slices.Equal(res.Columns, wantCols) {
		t.Fatalf("columns %v\nwant %v", res.Columns, wantCols)
	}
	byFlag := map[Value][]Value{}
	for _, r := range res.Rows {
		byFlag[r[0]] = r
	}
	// Flag=false: rows 2 (Score null) and 5 (Score 20).
	f := byFlag[false]
	if f[1] != int64(2) || f[2] != int64(1) || f[3] != int64(1) || f[4] != int64(20) || f[5] != int64(20) || f[7] != 20.0 {
		t.Errorf("false group %v: nulls must be skipped by aggregates", f)
	}
	if f[9] != "beta gamma" || f[10] != "beta gamma" {
		t.Errorf("false group strings %v", f)
	}
	// Flag=true: rows 1 and 4; the null group holds row 3.
	tr := byFlag[true]
	if tr[4] != int64(5) || tr[5] != int64(-5) || tr[6] != int64(10) || tr[7] != 2.5 || tr[11] != int64(9) {
		t.Errorf("true group %v", tr)
	}
	if n := byFlag[nil]; n == nil || n[1] != int64(1) || n[3] != int64(0) {
		t.Errorf("null group %v; null keys form their own group and dcount skips nulls", n)
	}
	res = run(t, "T | summarize Total = count(), Names = make_set(Name, 2)")
	if res.Columns[0].Name != "Total" || res.Rows[0][0] != int64(5) || len(res.Rows[0][1].(Dynamic).V.([]any)) != 2 {
		t.Errorf("named aggregates %v %v", res.Columns, res.Rows)
	}
	res = run(t, "T | summarize count() by bin(When, 1d), Day = startofday(When) | sort by When asc")
	if res.Columns[0].Name != "When" || res.Columns[1].Name != "Day" || len(res.Rows) != 4 {
		t.Errorf("bin group %v %v", res.Columns, res.Rows)
	}
	for _, q := range []string{"T | summarize sum(Name)", "T | summarize avg(When)", "T | summarize count() by Blob", "T | summarize tolower(Name)", "T | summarize x = count(), x = sum(Score)"} {
		if k, _ := errKind(q); k != SemanticError && k != SyntaxError {
			t.Errorf("%q accepted", q)
		}
	}
}

func TestDistinct(t *testing.T) {
	res := run(t, "T | distinct Flag")
	if len(res.Rows) != 3 || res.Columns[0] != (Column{"Flag", TBool}) {
		t.Errorf("distinct Flag: %v %v", res.Columns, res.Rows)
	}
	if res := run(t, "T | project Flag, Small | distinct *"); len(res.Rows) != 5 {
		t.Errorf("distinct *: %v", res.Rows)
	}
}

func TestBetweenIsInclusive(t *testing.T) {
	checkIDs(t, map[string][]int64{
		"T | where Score between (10 .. 20)":                                                        {1, 5},
		"T | where Score !between (10 .. 20)":                                                       {3, 4}, // the null row is neither
		"T | where Ratio between (0.25 .. 1.5)":                                                     {1, 5},
		"T | where When between (datetime(2026-11-27T10:00:00Z) .. datetime(2026-11-27T11:59:59Z))": {1, 5},
		"T | where When between (datetime(2026-11-27T10:00:00Z) .. 1h)":                             {1},
		"T | where When between (ago(2h) .. now())":                                                 {1, 5},
	})
}

func TestNowAndAgoUseTheInjectedClock(t *testing.T) {
	checkIDs(t, map[string][]int64{
		"T | where When > ago(1h)":                     {5},
		"T | where When >= ago(2h)":                    {1, 5},
		"T | where When < now(-1d)":                    {4},
		"T | where When <= now(-1d)":                   {2, 4},
		"T | where When > now() - 7d and When < now()": {1, 2, 5},
	})
	calls := 0
	tick := func() time.Time { calls++; return testNow.Add(time.Duration(calls) * time.Hour) }
	res, err := Run("T | project a = now(), b = now(), c = ago(0s)", testCatalog(), tick)
	if err != nil {
		t.Fatal(err)
	}
	first := res.Rows[0][0]
	for _, r := range res.Rows {
		if r[0] != first || r[1] != first || r[2] != first {
			t.Fatalf("now() varies within a query: %v", res.Rows)
		}
	}
	if calls != 1 {
		t.Errorf("clock read %d times, want 1", calls)
	}
}

func TestInDynamicFlattens(t *testing.T) {
	checkIDs(t, map[string][]int64{
		`T | where Name in (dynamic(["Alpha", ["beta gamma"]]))`: {1, 2},
		`T | where Score in (dynamic([10, [30]]), 20)`:           {1, 3, 5},
		`T | where Name !in (dynamic(["Alpha"]), "")`:            {2, 4, 5},
		`T | where Id in (dynamic([]), 4)`:                       {4},
	})
}

func TestIntegerDivisionAndArithmetic(t *testing.T) {
	for e, want := range map[string]Value{
		"7 / 2":           int64(3),
		"-7 / 2":          int64(-3),
		"7 % 3":           int64(1),
		"7.0 / 2":         3.5,
		"7 / 2.0":         3.5,
		"1 / 0":           nil,
		"int(7) / int(2)": int64(3),
		"2 + 3 * 4":       int64(14),
		"(2 + 3) * 4":     int64(20),
		"10 - 2 - 3":      int64(5),
		"1h + 30m":        90 * time.Minute,
		"2 * 1h":          2 * time.Hour,
		"1d / 2":          12 * time.Hour,
		"1d / 1h":         24.0,
	} {
		if got := scalar(t, e); got != want {
			t.Errorf("%s = %#v, want %#v", e, got, want)
		}
	}
}

func TestNaNComparesFalse(t *testing.T) {
	// Row 2 holds NaN in Ratio, row 3 null.
	checkIDs(t, map[string][]int64{
		"T | where Ratio == Ratio":            {1, 4, 5},
		"T | where Ratio > -100":              {1, 4, 5},
		"T | where Ratio < 100":               {1, 4, 5},
		"T | where isnan(Ratio)":              {2},
		"T | where Ratio > 0 or isnan(Ratio)": {1, 2, 5},
		"T | where Ratio == real(nan)":        {},
	})
}

func TestProjectExtendAndProjectAway(t *testing.T) {
	res := run(t, "T | where Id == 1 | project Name, Doubled = Score * 2, Score + 1, Blob.k, Blob['n'], bin(Score, 3)")
	names := []string{}
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"Name", "Doubled", "Column1", "Blob_k", "Blob_n", "Score"}; !slices.Equal(names, want) {
		t.Errorf("project names %v, want %v", names, want)
	}
	if r := res.Rows[0]; r[0] != "Alpha" || r[1] != int64(20) || r[2] != int64(11) || r[5] != int64(9) {
		t.Errorf("project values %v", r)
	}
	res = run(t, "T | where Id == 1 | extend Score = Score + 1, x = Score * 10 | project-away Blob, Uid, S*, *Span")
	names = names[:0]
	for _, c := range res.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"Id", "Name", "Ratio", "When", "Flag", "x"}; !slices.Equal(names, want) {
		t.Errorf("extend/project-away columns %v, want %v", names, want)
	}
	if res.Rows[0][5] != int64(110) {
		t.Errorf("extend items see earlier items: x = %v, want 110", res.Rows[0][5])
	}
	if k, _ := errKind("T | project Id, Id"); k != SemanticError {
		t.Error("duplicate projected column accepted")
	}
	// Rows are independent copies even though stages reuse buffers.
	res = run(t, "T | project Id")
	if res.Rows[0][0] == res.Rows[4][0] {
		t.Error("result rows alias one buffer")
	}
}

func TestDynamicAccess(t *testing.T) {
	checkIDs(t, map[string][]int64{
		`T | where Blob.k == "v"`:                  {1},
		`T | where Blob["k"] == "w"`:               {5},
		`T | where Blob.a[1] == 2`:                 {1},
		`T | where Blob.a[-1] == 2`:                {1},
		`T | where Blob[0] == "x"`:                 {3},
		`T | where Blob.n > 2`:                     {1},
		`T | where Blob == "str"`:                  {4},
		`T | where isnull(Blob.missing)`:           {1, 2, 3, 4, 5},
		`T | where tostring(Blob.k) in ("v", "w")`: {1, 5},
		`T | where Blob.k has "V"`:                 {1},
	})
	if got := scalar(t, "tostring(Blob)"); got != `{"a":[1,2],"k":"v","n":3}` {
		t.Errorf("tostring(dynamic) = %q", got)
	}
	if k, _ := errKind("T | where Name.x == 1"); k != SemanticError {
		t.Error("property access on a string accepted")
	}
}

func TestScalarFunctions(t *testing.T) {
	for e, want := range map[string]Value{
		`strlen("é😀a")`:                  int64(3),
		`strcat("a", 1, true, "")`:       "a1true",
		`iff(Score > 5, "big", "small")`: "big",
		`iif(bool(null), 1, 2)`:          int64(2),
		`iff(true, 1, 2.5)`:              1.0,
		`coalesce(long(null), 3)`:        int64(3),
		`coalesce("", "x")`:              "x",
		`column_ifexists("Score", 0)`:    int64(10),
		`column_ifexists("Nope", 42)`:    int64(42),
		`startofday(datetime(2026-11-27T13:14:15Z)) == datetime(2026-11-27)`:        true,
		`bin(datetime(2026-11-27T13:14:15Z), 1h) == datetime(2026-11-27T13:00:00Z)`: true,
		`bin(-7, 5)`:          int64(-10),
		`bin(7.5, 2.0)`:       6.0,
		`bin(95m, 1h)`:        time.Hour,
		`tolong("12")`:        int64(12),
		`tolong("x")`:         nil,
		`tolong(2.9)`:         int64(2),
		`toint("3000000000")`: nil,
		`toint(7)`:            int64(7),
		`toreal("1.5")`:       1.5,
		`todouble(2)`:         2.0,
		`todatetime("2026-01-02T03:04:05Z") == datetime(2026-01-02T03:04:05Z)`: true,
		`todatetime("12/31/2015")`: nil,
		`tostring(1.5)`:            "1.5",
		`tostring(90m)`:            "01:30:00",
		`tostring(1d + 1tick)`:     "1.00:00:00.0000001",
		`tostring(guid(11111111-1111-1111-1111-111111111111))`: "11111111-1111-1111-1111-111111111111",
		`tostring(dynamic(["a", 1]))`:                          `["a",1]`,
		`parse_json('{"a":1}').a == 1`:                         true,
		`tostring(parse_json("not json"))`:                     "not json",
		`not(Score == 10)`:                                     false,
		`tolong(Blob.n)`:                                       int64(3),
		`isnan(real(nan))`:                                     true,
		`isnan(1)`:                                             false,
	} {
		if got := scalar(t, e); got != want {
			t.Errorf("%s = %#v, want %#v", e, got, want)
		}
	}
	for _, q := range []string{"T | where count() > 1", "T | where nosuchfunc(Id)", "T | where tolower() == ''", "T | where iff(1, true, false)", "T | where coalesce(1, 'a') == 1"} {
		if k, _ := errKind(q); k != SemanticError {
			t.Errorf("%q: kind %v, want SemanticError", q, k)
		}
	}
}

func TestOperatorAliases(t *testing.T) {
	checkIDs(t, map[string][]int64{
		"T | filter Id < 3":                         {1, 2},
		"T | order by Id asc | limit 2":             {1, 2},
		"T | where Id in (1, 2) and Name !in ('x')": {1, 2},
	})
}

func TestListLimits(t *testing.T) {
	items := make([]string, 257)
	for i := range items {
		items[i] = "'w" + strings.Repeat("x", i%5) + "'"
	}
	if k, _ := errKind("T | where Name has_all (" + strings.Join(items, ", ") + ")"); k != LimitError {
		t.Errorf("has_all with 257 values: kind %v, want LimitError", k)
	}
	if k, _ := errKind("T | where Name has_all (" + strings.Join(items[:256], ", ") + ")"); k != 0 {
		t.Errorf("has_all with 256 values: kind %v, want success", k)
	}
}

func TestStreamStopsEarly(t *testing.T) {
	q, err := Parse("T | sort by Id asc | project Id, Name")
	if err != nil {
		t.Fatal(err)
	}
	var got []Value
	cols, err := q.Stream(testCatalog(), fixedClock, func(row []Value) bool {
		got = append(got, row[0])
		return len(got) < 2
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) != 2 || !slices.Equal(got, []Value{int64(1), int64(2)}) {
		t.Errorf("Stream columns %v rows %v", cols, got)
	}
	bad, err := Parse("T | where Name has Name")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.Stream(testCatalog(), fixedClock, func([]Value) bool { return true }); err == nil {
		t.Error("a run-time error must be returned by Stream")
	}
}
