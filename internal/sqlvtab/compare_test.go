package sqlvtab_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// result is a statement's rows with every value rendered as text, so
// results from the bridge and from plain SQLite compare directly.
type result [][]string

func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return "s:" + string(x)
	case string:
		return "s:" + x
	case int64:
		return fmt.Sprintf("n:%d", x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return fmt.Sprintf("n:%d", int64(x))
		}
		return fmt.Sprintf("f:%v", x)
	}
	return fmt.Sprintf("%T:%v", v, v)
}

func toResult(rows [][]any) result {
	out := make(result, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = render(v)
		}
	}
	return out
}

// sorted returns the rows as a sorted multiset.
func (r result) sorted() []string {
	out := make([]string, len(r))
	for i, row := range r {
		out[i] = strings.Join(row, "|")
	}
	sort.Strings(out)
	return out
}

func (r result) lines() []string {
	out := make([]string, len(r))
	for i, row := range r {
		out[i] = strings.Join(row, "|")
	}
	return out
}

// nativeQuery runs a statement on the plain SQLite tables.
func nativeQuery(ctx context.Context, q string) (result, error) {
	rows, err := native.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return toResult(out), rows.Err()
}

// bridgeQuery runs a statement through the bridge and returns the
// hunting calls it made.
func bridgeQuery(ctx context.Context, q string) (result, []sim.Call, error) {
	kusto.AddCalls(srv.Calls())
	srv.ResetCalls()
	_, rows, err := db.QueryAll(ctx, q)
	return toResult(rows), srv.Calls(), err
}

type simCall = sim.Call

func queries(calls []sim.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Query)
	}
	return out
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func diff(a, b []string) string {
	var out []string
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for k, n := range count {
		if n > 0 {
			out = append(out, fmt.Sprintf("  only bridge (%d): %s", n, k))
		} else if n < 0 {
			out = append(out, fmt.Sprintf("  only native (%d): %s", -n, k))
		}
	}
	sort.Strings(out)
	if len(out) > 10 {
		out = append(out[:10], "  ...")
	}
	return strings.Join(out, "\n")
}
