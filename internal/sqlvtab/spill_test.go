package sqlvtab_test

import (
	"context"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
)

// TestJoinsSpill runs the joins with no memory budget, so every scan a
// join keeps goes to disk: the rows and the number of calls stay those
// of the in-memory run.
func TestJoinsSpill(t *testing.T) {
	ctx := context.Background()
	p := pickParams(ctx, t)
	defer sqlvtab.SetMemoBudget(0)()
	n := 0
	for _, c := range diffCases() {
		if !strings.Contains(c.sql, " join ") {
			continue
		}
		n++
		q := p.expand(c.sql)
		t.Run(q, func(t *testing.T) {
			got, calls, err := bridgeQuery(ctx, q)
			if err != nil {
				t.Fatalf("bridge: %v", err)
			}
			want, err := nativeQuery(ctx, q)
			if err != nil {
				t.Fatalf("native: %v", err)
			}
			if g, w := got.sorted(), want.sorted(); !equalLines(g, w) {
				t.Errorf("rows differ: bridge %d, native %d\n%s", len(g), len(w), diff(g, w))
			}
			checkCalls(t, c, calls)
		})
	}
	if n < 4 {
		t.Fatalf("only %d joins", n)
	}
}
