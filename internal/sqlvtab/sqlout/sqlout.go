// Package sqlout writes query results as an aligned text table, CSV, a
// JSON array or JSON lines, row by row: CSV and JSON rows are written as
// they arrive, and a table buffers at most TableSample rows to size its
// columns.
package sqlout

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Table Format = "table" // aligned columns in a box; NULL shows as <null>
	CSV   Format = "csv"   // a header line, then RFC 4180 rows; NULL is empty
	JSON  Format = "json"  // one array of objects per result
	JSONL Format = "jsonl" // one object per line
)

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Table, CSV, JSON, JSONL:
		return f, nil
	}
	return "", fmt.Errorf("unknown output format %q: use table, csv, json or jsonl", s)
}

// Writer writes one result row by row. Row values are int64, float64,
// string, []byte, bool or nil. Close ends the result and flushes it; it
// must be called, also after an error, to print the rows so far.
type Writer interface {
	Row(vals []any) error
	Close() error
}

// flushEvery is how long written rows may wait in the buffer: a slow
// scan's rows still show up as they arrive.
const flushEvery = 200 * time.Millisecond

// output buffers the writes of a result and flushes them when the buffer
// is full or, at a row's end, when the last flush is flushEvery ago.
type output struct {
	*bufio.Writer
	last time.Time
}

// rowDone flushes when the buffered rows have waited long enough.
func (o *output) rowDone() error {
	if o.Buffered() == 0 {
		return nil
	}
	if now := time.Now(); now.Sub(o.last) >= flushEvery {
		o.last = now
		return o.Flush()
	}
	return nil
}

// NewWriter starts a result with the given column names.
func NewWriter(w io.Writer, f Format, cols []string) Writer {
	bw := &output{Writer: bufio.NewWriterSize(w, 64<<10), last: time.Now()}
	switch f {
	case CSV:
		return newCSVWriter(bw, cols)
	case JSON:
		return &jsonWriter{w: bw, cols: cols, array: true}
	case JSONL:
		return &jsonWriter{w: bw, cols: cols}
	}
	return &tableWriter{w: bw, cols: cols}
}

// Write writes a whole result.
func Write(w io.Writer, f Format, cols []string, rows [][]any) error {
	out := NewWriter(w, f, cols)
	for _, r := range rows {
		if err := out.Row(r); err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}

// text renders a value for table and CSV output.
func text(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case []byte:
		return string(x)
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// csvWriter writes a header line, then one record per row.
type csvWriter struct {
	w   *output
	cw  *csv.Writer
	rec []string
	err error
}

func newCSVWriter(w *output, cols []string) *csvWriter {
	c := &csvWriter{w: w, cw: csv.NewWriter(w), rec: make([]string, len(cols))}
	c.err = c.cw.Write(cols)
	return c
}

func (c *csvWriter) Row(vals []any) error {
	if c.err != nil {
		return c.err
	}
	for i, v := range vals {
		c.rec[i] = text(v, "")
	}
	if c.err = c.cw.Write(c.rec); c.err == nil && c.w.last.Add(flushEvery).Before(time.Now()) {
		c.cw.Flush()
		c.err = c.w.rowDone()
	}
	return c.err
}

func (c *csvWriter) Close() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.w.Flush()
}

// jsonWriter writes one object per row: as the elements of an array, or
// one per line.
type jsonWriter struct {
	w     *output
	cols  []string
	array bool
	n     int
	buf   []byte
}

func (j *jsonWriter) Row(vals []any) error {
	var err error
	j.buf = j.buf[:0]
	if j.array {
		if j.n == 0 {
			j.buf = append(j.buf, "[\n "...)
		} else {
			j.buf = append(j.buf, ",\n "...)
		}
	}
	if j.buf, err = appendObject(j.buf, j.cols, vals); err != nil {
		return err
	}
	if !j.array {
		j.buf = append(j.buf, '\n')
	}
	j.n++
	if _, err = j.w.Write(j.buf); err != nil {
		return err
	}
	return j.w.rowDone()
}

func (j *jsonWriter) Close() error {
	if j.array {
		end := "\n]\n"
		if j.n == 0 {
			end = "[]\n"
		}
		if _, err := j.w.WriteString(end); err != nil {
			return err
		}
	}
	return j.w.Flush()
}

// appendObject appends one row as a JSON object with the columns in
// order.
func appendObject(b []byte, cols []string, r []any) ([]byte, error) {
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(c)
		v := r[i]
		if x, ok := v.([]byte); ok {
			v = string(x)
		}
		val, err := json.Marshal(v)
		if err != nil {
			return b, fmt.Errorf("column %s: %w", c, err)
		}
		b = append(append(append(b, k...), ':'), val...)
	}
	return append(b, '}'), nil
}
