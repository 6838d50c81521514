package docgen

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ExpectNone, on the line before an example's code block, marks an
// example that may rightly return no rows.
const ExpectNone = "<!-- expect: none -->"

// Block is one ```sql+postgres or ```sql+sqlite block of a Markdown
// document.
type Block struct {
	// File and Line locate the opening fence; File is relative to the
	// root given to DocBlocks.
	File string
	Line int
	// Dialect is "postgres" or "sqlite".
	Dialect string
	// Heading is the text of the nearest ### heading above the block: the
	// example it belongs to.
	Heading string
	// SQL is the block's text, without a trailing newline.
	SQL string
	// ExpectNone is set when the line before the fence is ExpectNone.
	ExpectNone bool
}

// Where is the block's file:line.
func (b Block) Where() string { return fmt.Sprintf("%s:%d", b.File, b.Line) }

// DocBlocks returns the SQL blocks of README.md and of every Markdown file
// under docs in root, in file order.
func DocBlocks(root string) ([]Block, error) {
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []Block
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, err
		}
		out = append(out, ParseBlocks(f, string(b))...)
	}
	return out, nil
}

// ParseBlocks returns the SQL blocks of the Markdown text md, read from
// file.
func ParseBlocks(file, md string) []Block {
	var out []Block
	var cur *Block
	var body []string
	heading, prev := "", ""
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(line, "### "):
			heading = strings.TrimPrefix(line, "### ")
		case cur == nil && (trimmed == "```sql+postgres" || trimmed == "```sql+sqlite"):
			cur = &Block{File: file, Line: n, Dialect: strings.TrimPrefix(trimmed, "```sql+"),
				Heading: heading, ExpectNone: strings.TrimSpace(prev) == ExpectNone}
			body = nil
		case cur != nil && trimmed == "```":
			cur.SQL = strings.Join(body, "\n")
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
		prev = line
	}
	return out
}

// DialectBlocks returns the blocks of DocBlocks in one dialect
// ("postgres" or "sqlite"), or an error when there are none.
func DialectBlocks(root, dialect string) ([]Block, error) {
	all, err := DocBlocks(root)
	if err != nil {
		return nil, err
	}
	var out []Block
	for _, b := range all {
		if b.Dialect == dialect {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no sql+%s blocks found", dialect)
	}
	return out, nil
}
