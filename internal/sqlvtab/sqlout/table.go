package sqlout

import (
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"
)

// TableSample is the number of rows a table buffers to size its columns.
// Later rows are printed at once; a cell wider than its column is cut to
// fit and ends in "…".
const TableSample = 1000

// tableWriter writes aligned columns in a box. It holds the first
// TableSample rows, sizes the columns to them and the header, then
// streams.
type tableWriter struct {
	w       *output
	cols    []string
	width   []int
	sample  [][]string
	right   [][]bool
	started bool
	rows    int
	err     error
}

// cell is a table cell: control characters become spaces so every row
// stays on one line.
func cell(v any) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text(v, "<null>"))
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int { return runewidth.StringWidth(s) }

func (t *tableWriter) Row(vals []any) error {
	if t.err != nil {
		return t.err
	}
	cells := make([]string, len(vals))
	right := make([]bool, len(vals))
	for i, v := range vals {
		cells[i] = cell(v)
		switch v.(type) {
		case int64, float64:
			right[i] = true
		}
	}
	t.rows++
	if !t.started {
		t.sample = append(t.sample, cells)
		t.right = append(t.right, right)
		if len(t.sample) >= TableSample {
			t.start()
		}
		return t.err
	}
	t.line(cells, right)
	if t.err == nil {
		t.err = t.w.rowDone()
	}
	return t.err
}

// start sizes the columns to the header and the sample and prints them.
func (t *tableWriter) start() {
	t.started = true
	t.width = make([]int, len(t.cols))
	for i, c := range t.cols {
		t.width[i] = displayWidth(c)
	}
	for _, r := range t.sample {
		for i, s := range r {
			t.width[i] = max(t.width[i], displayWidth(s))
		}
	}
	t.rule()
	t.line(t.cols, nil)
	t.rule()
	for j, r := range t.sample {
		t.line(r, t.right[j])
	}
	t.sample, t.right = nil, nil
}

func (t *tableWriter) rule() {
	var b strings.Builder
	for _, n := range t.width {
		b.WriteString("+" + strings.Repeat("-", n+2))
	}
	b.WriteString("+\n")
	t.write(b.String())
}

// line prints one row, cutting cells wider than their column.
func (t *tableWriter) line(vals []string, right []bool) {
	var b strings.Builder
	for i, s := range vals {
		if displayWidth(s) > t.width[i] {
			s = runewidth.Truncate(s, t.width[i], "…")
		}
		b.WriteString("| ")
		if right != nil && right[i] {
			b.WriteString(runewidth.FillLeft(s, t.width[i]))
		} else {
			b.WriteString(runewidth.FillRight(s, t.width[i]))
		}
		b.WriteString(" ")
	}
	b.WriteString("|\n")
	t.write(b.String())
}

func (t *tableWriter) write(s string) {
	if t.err == nil {
		_, t.err = t.w.WriteString(s)
	}
}

func (t *tableWriter) Close() error {
	if !t.started {
		t.start()
	}
	if t.rows > 0 {
		t.rule()
	}
	if t.err != nil {
		return t.err
	}
	return t.w.Flush()
}
