package sqlvtab_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// likeColumns are text columns of DeviceProcessEvents with varied
// content: Windows paths with backslashes, command lines, names.
var likeColumns = []string{"folder_path", "process_command_line", "file_name", "account_upn"}

// samples returns up to n distinct values of a column.
func samples(ctx context.Context, t *testing.T, col string, n int) []string {
	t.Helper()
	rows, err := native.QueryContext(ctx, "select distinct "+col+" from "+tP+" where "+col+" is not null order by 1 limit ?", n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// swapCase flips the case of every letter, ASCII or not.
func swapCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if u := strings.ToUpper(string(r)); u != string(r) {
			b.WriteString(u)
		} else {
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

// cut returns the first and last k runes of s, and a middle part.
func cut(s string, k int) (pre, suf, mid string) {
	r := []rune(s)
	if len(r) < k {
		k = len(r)
	}
	pre, suf = string(r[:k]), string(r[len(r)-k:])
	if len(r) > 4 {
		mid = string(r[len(r)/2-2 : len(r)/2+2])
	}
	return
}

// likePatterns derives LIKE patterns from a value: exact, prefixes,
// suffixes, infixes, _ wildcards and case variants.
func likePatterns(v string) []string {
	pre, suf, mid := cut(v, 5)
	out := []string{v, strings.ToUpper(v), swapCase(v), pre + "%", strings.ToLower(pre) + "%", "%" + suf, "%" + strings.ToUpper(suf)}
	if mid != "" {
		out = append(out, "%"+mid+"%", "%"+swapCase(mid)+"%")
	}
	if r, size := utf8.DecodeRuneInString(v); r != utf8.RuneError && len(v) > size {
		out = append(out, "_"+v[size:], "_"+v[size:]+"%")
	}
	return out
}

// globPatterns derives GLOB patterns from a value; * ? map to LIKE
// wildcards, and LIKE's own % _ \ must stay literal.
func globPatterns(v string) []string {
	pre, suf, mid := cut(v, 4)
	out := []string{v, strings.ToUpper(v), pre + "*", "*" + suf, "*" + strings.ToUpper(suf)}
	if mid != "" {
		out = append(out, "*"+mid+"*")
	}
	if r, size := utf8.DecodeRuneInString(v); r != utf8.RuneError && len(v) > size {
		out = append(out, "?"+v[size:])
	}
	return out
}

// fixedPatterns exercise escapes, literal wildcard characters and
// non-ASCII case folding.
var fixedLike = []string{
	`%\%`, `%\Windows\%`, `c:\windows\%`, `C:\\%`, `%\_%`, `%_%`, `%\%%`, `%\`, `\%`,
	`%é%`, `%É%`, `%ü%`, `%Ü%`, `%straße%`, `%STRASSE%`, `%-enc%`, `%-ENC%`, `%-EncodedCommand%`, `%`, `_`, `%%`, ``,
}

var fixedGlob = []string{
	`*_*`, `*%*`, `*\*`, `*\\*`, `*[0-9]*`, `[a-c]*`, `*.exe`, `*.EXE`, `*.???`, `*`, `?`, ``, `*é*`, `*É*`, `*-enc*`,
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// TestLikeGlob checks that every LIKE and GLOB pattern returns through the
// bridge exactly the rows SQLite's own operator returns on plain tables,
// and that the pattern reached Defender.
func TestLikeGlob(t *testing.T) {
	ctx := context.Background()
	checked := 0
	run := func(col, op, pat string) {
		q := "select report_id, " + col + " from " + tP + " where " + col + " " + op + " " + quote(pat)
		got, calls, err := bridgeQuery(ctx, q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			return
		}
		want, err := nativeQuery(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if g, w := got.sorted(), want.sorted(); !equalLines(g, w) {
			t.Errorf("%s: bridge %d rows, native %d\n%s", q, len(g), len(w), diff(g, w))
		}
		if len(calls) != 1 {
			t.Errorf("%s: %d calls", q, len(calls))
		}
		pushable := op == "like" || !strings.Contains(pat, "[")
		for _, c := range calls {
			if pushable && !strings.Contains(c.Query, "| where ") {
				t.Errorf("%s: pattern not pushed: %s", q, c.Query)
			}
		}
		checked++
	}
	for _, col := range likeColumns {
		for _, v := range samples(ctx, t, col, 4) {
			for _, p := range likePatterns(v) {
				run(col, "like", p)
			}
			for _, p := range globPatterns(v) {
				run(col, "glob", p)
			}
		}
		for _, p := range fixedLike {
			run(col, "like", p)
		}
		for _, p := range fixedGlob {
			run(col, "glob", p)
		}
	}
	t.Logf("%d patterns checked", checked)
}
