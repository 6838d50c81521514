package sqlvtab

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"modernc.org/sqlite/vtab"
)

// rowSet is the rows of a finished scan, kept for the memo or for the
// passes of a nested loop: in memory while the statement's memo budget
// allows, then in a temporary file. Values are nil, int64, float64 or
// string, as sqlValue makes them.
type rowSet struct {
	mem   [][]vtab.Value
	bytes int64 // memory budget held for mem

	file *os.File // the spilled rows, after mem; nil when none
	w    *bufio.Writer
	size int64 // bytes written to file
	n    int   // rows in all
	buf  []byte
}

// rowBytes estimates the memory a row takes: the slice, an interface
// per value and the boxed value behind it, and the text.
func rowBytes(r []vtab.Value) int64 {
	n := int64(24 + 32*len(r))
	for _, v := range r {
		if s, ok := v.(string); ok {
			n += int64(len(s))
		}
	}
	return n
}

// add appends a row: in memory when m grants the bytes, else to the file.
func (s *rowSet) add(m *memo, r []vtab.Value) error {
	if s.file == nil {
		if s.addMem(m, r) {
			return nil
		}
		f, err := os.CreateTemp("", "sqlvtab-spill-")
		if err != nil {
			return fmt.Errorf("sqlvtab: spilling a scan to disk: %w", err)
		}
		// The file lives only as long as it is open.
		os.Remove(f.Name())
		s.file, s.w = f, bufio.NewWriterSize(f, 256<<10)
	}
	s.n++
	s.buf = encodeRow(s.buf[:0], r)
	n, err := s.w.Write(s.buf)
	s.size += int64(n)
	if err != nil {
		return fmt.Errorf("sqlvtab: spilling a scan to disk: %w", err)
	}
	return nil
}

// addMem appends a row in memory if m grants the bytes.
func (s *rowSet) addMem(m *memo, r []vtab.Value) bool {
	b := rowBytes(r)
	if !m.reserve(b) {
		return false
	}
	s.mem = append(s.mem, r)
	s.bytes += b
	s.n++
	return true
}

// finish flushes the spilled rows; the set is then read only.
func (s *rowSet) finish() error {
	if s.w == nil {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("sqlvtab: spilling a scan to disk: %w", err)
	}
	s.w = nil
	return nil
}

// len is the number of rows.
func (s *rowSet) len() int { return s.n }

// close gives back the memory and removes the file.
func (s *rowSet) close(m *memo) {
	m.release(s.bytes)
	s.mem, s.bytes = nil, 0
	if s.file != nil {
		s.file.Close()
		s.file = nil
	}
}

// iter starts a pass over the rows. Passes may run at the same time.
func (s *rowSet) iter() *rowIter {
	it := &rowIter{set: s}
	if s.file != nil {
		it.r = bufio.NewReaderSize(io.NewSectionReader(s.file, 0, s.size), 64<<10)
	}
	return it
}

// rowIter is one pass over a rowSet.
type rowIter struct {
	set *rowSet
	pos int
	r   *bufio.Reader
}

// next returns the next row, or nil at the end.
func (it *rowIter) next() ([]vtab.Value, error) {
	if it.pos < len(it.set.mem) {
		it.pos++
		return it.set.mem[it.pos-1], nil
	}
	if it.r == nil || it.pos >= it.set.n {
		return nil, nil
	}
	it.pos++
	r, err := decodeRow(it.r)
	if err != nil {
		return nil, fmt.Errorf("sqlvtab: reading a spilled scan: %w", err)
	}
	return r, nil
}

// Value tags of the spill encoding.
const (
	tagNull byte = iota
	tagInt
	tagFloat
	tagText
)

// encodeRow appends a row: its length, then each value as a tag and its
// bytes.
func encodeRow(b []byte, r []vtab.Value) []byte {
	b = binary.AppendUvarint(b, uint64(len(r)))
	for _, v := range r {
		switch x := v.(type) {
		case int64:
			b = binary.AppendVarint(append(b, tagInt), x)
		case float64:
			b = binary.LittleEndian.AppendUint64(append(b, tagFloat), math.Float64bits(x))
		case string:
			b = binary.AppendUvarint(append(b, tagText), uint64(len(x)))
			b = append(b, x...)
		default:
			b = append(b, tagNull)
		}
	}
	return b
}

var errBadSpill = errors.New("corrupt spill file")

// decodeRow reads a row that encodeRow wrote.
func decodeRow(r *bufio.Reader) ([]vtab.Value, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	row := make([]vtab.Value, n)
	for i := range row {
		tag, err := r.ReadByte()
		if err != nil {
			return nil, err
		}
		switch tag {
		case tagNull:
		case tagInt:
			if row[i], err = binary.ReadVarint(r); err != nil {
				return nil, err
			}
		case tagFloat:
			var b [8]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return nil, err
			}
			row[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
		case tagText:
			l, err := binary.ReadUvarint(r)
			if err != nil {
				return nil, err
			}
			s := make([]byte, l)
			if _, err := io.ReadFull(r, s); err != nil {
				return nil, err
			}
			row[i] = string(s)
		default:
			return nil, errBadSpill
		}
	}
	return row, nil
}
