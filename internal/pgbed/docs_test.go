package pgbed

import (
	"context"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/docgen"
)

// TestDocsExamples runs every documented ```sql+postgres example in
// PostgreSQL over the rows the plugin returns, one subtest per block: each
// must run, and return rows unless marked with docgen.ExpectNone.
func TestDocsExamples(t *testing.T) {
	b := needBed(t)
	blocks, err := docgen.DialectBlocks(root, "postgres")
	if err != nil {
		t.Fatal(err)
	}
	withRows, failed := 0, 0
	for _, bl := range blocks {
		ok := t.Run(bl.Where(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rows, err := b.Query(ctx, bl.SQL)
			switch {
			case err != nil:
				t.Fatalf("%v\n%s", err, bl.SQL)
			case len(rows) > 0:
				withRows++
			case !bl.ExpectNone:
				t.Fatalf("no rows (mark the block %s only if none is right)\n%s", docgen.ExpectNone, bl.SQL)
			}
		})
		if !ok {
			failed++
		}
	}
	t.Logf("%d blocks ran: %d returned rows, %d failed", len(blocks), withRows, failed)
}
