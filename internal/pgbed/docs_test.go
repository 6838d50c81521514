package pgbed

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// expectNone, on the line before a ```sql+postgres block, marks an example
// that may rightly return no rows.
const expectNone = "<!-- expect: none -->"

// block is one ```sql+postgres block of the documentation.
type block struct {
	where      string // file:line of the opening fence
	sql        string
	expectNone bool
}

// docBlocks returns the ```sql+postgres blocks of README.md and of every
// Markdown file under docs, in file order.
func docBlocks(root string) ([]block, error) {
	files := []string{filepath.Join(root, "README.md")}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []block
	for _, f := range files {
		bs, err := fileBlocks(f)
		if err != nil {
			return nil, err
		}
		out = append(out, bs...)
	}
	return out, nil
}

// fileBlocks returns the ```sql+postgres blocks of one Markdown file.
func fileBlocks(path string) ([]block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rel, _ := filepath.Rel(root, path)
	var out []block
	var cur *block
	var body []string
	prev := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```sql+postgres":
			cur = &block{where: fmt.Sprintf("%s:%d", rel, n), expectNone: strings.TrimSpace(prev) == expectNone}
			body = nil
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.sql = strings.Join(body, "\n")
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
		prev = line
	}
	return out, sc.Err()
}

// TestDocsExamples runs every documented example in PostgreSQL over the
// rows the plugin returns, one subtest per block: each must run, and return
// rows unless marked with expectNone.
func TestDocsExamples(t *testing.T) {
	b := needBed(t)
	blocks, err := docBlocks(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) == 0 {
		t.Fatal("no sql+postgres blocks found")
	}
	withRows, failed := 0, 0
	for _, bl := range blocks {
		ok := t.Run(bl.where, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rows, err := b.Query(ctx, bl.sql)
			switch {
			case err != nil:
				t.Fatalf("%v\n%s", err, bl.sql)
			case len(rows) > 0:
				withRows++
			case !bl.expectNone:
				t.Fatalf("no rows (mark the block %s only if none is right)\n%s", expectNone, bl.sql)
			}
		})
		if !ok {
			failed++
		}
	}
	t.Logf("%d blocks ran: %d returned rows, %d failed", len(blocks), withRows, failed)
}
