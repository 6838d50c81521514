package engine

import (
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// projectAway removes the named columns; names may use * wildcards.
func projectAway(o awayOp, in stage) (stage, error) {
	drop := make([]bool, len(in.cols))
	for _, pat := range o.patterns {
		hit := false
		for i, c := range in.cols {
			if ok, _ := path.Match(globEscape(pat), c.Name); ok {
				drop[i], hit = true, true
			}
		}
		if !hit && !strings.Contains(pat, "*") {
			return stage{}, unresolvedColumn("project-away", pat)
		}
	}
	var keep []int
	var cols []Column
	for i, c := range in.cols {
		if !drop[i] {
			keep = append(keep, i)
			cols = append(cols, c)
		}
	}
	return stage{cols: cols, run: func(yield func([]Value) bool) {
		out := make([]Value, len(keep))
		in.run(func(row []Value) bool {
			for i, k := range keep {
				out[i] = row[k]
			}
			return yield(out)
		})
	}}, nil
}

// globEscape escapes path.Match metacharacters other than *.
func globEscape(pat string) string {
	var b strings.Builder
	for _, r := range pat {
		if r == '?' || r == '[' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// distinct streams the first row of each distinct combination of columns.
func distinct(o distinctOp, in stage) (stage, error) {
	var idx []int
	if o.cols == nil {
		for i := range in.cols {
			idx = append(idx, i)
		}
	}
	for _, name := range o.cols {
		i := slices.IndexFunc(in.cols, func(c Column) bool { return c.Name == name })
		if i < 0 {
			return stage{}, unresolvedColumn("distinct", name)
		}
		idx = append(idx, i)
	}
	cols := make([]Column, len(idx))
	for i, k := range idx {
		cols[i] = in.cols[k]
	}
	return stage{cols: cols, run: func(yield func([]Value) bool) {
		seen := map[string]bool{}
		out := make([]Value, len(idx))
		var key []byte
		in.run(func(row []Value) bool {
			for i, k := range idx {
				out[i] = row[k]
			}
			key = appendKey(key[:0], out)
			if seen[string(key)] {
				return true
			}
			seen[string(key)] = true
			return yield(out)
		})
	}}, nil
}

// appendKey appends an encoding of vals that separates types and values,
// for use as a map key.
func appendKey(b []byte, vals []Value) []byte {
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			b = append(b, 'n')
		case string:
			b = append(b, 's')
			b = strconv.AppendInt(b, int64(len(x)), 10)
			b = append(b, ':')
			b = append(b, x...)
		case int64:
			b = append(b, 'i')
			b = strconv.AppendInt(b, x, 10)
		case float64:
			if math.IsNaN(x) {
				x = math.NaN()
			}
			if x == 0 {
				x = 0
			}
			b = append(b, 'f')
			b = strconv.AppendUint(b, math.Float64bits(x), 16)
		case bool:
			b = append(b, 'b')
			b = strconv.AppendBool(b, x)
		case time.Time:
			b = append(b, 't')
			b = strconv.AppendInt(b, ticksSinceMin(x), 10)
		case time.Duration:
			b = append(b, 'd')
			b = strconv.AppendInt(b, int64(x), 10)
		case GUID:
			b = append(b, 'g')
			b = append(b, x...)
		case Dynamic:
			j := jsonText(x.V)
			b = append(b, 'j')
			b = strconv.AppendInt(b, int64(len(j)), 10)
			b = append(b, ':')
			b = append(b, j...)
		}
		b = append(b, '|')
	}
	return b
}

// compiledKey is a sort key bound to an input schema.
type compiledKey struct {
	c          *cexpr
	desc       bool
	nullsFirst bool
}

// sortNull reports whether v sorts with nulls (null itself and NaN).
func sortNull(v Value) bool {
	if v == nil {
		return true
	}
	f, ok := v.(float64)
	return ok && math.IsNaN(f)
}

// compareRows orders two buffered rows by the keys; ka and kb hold the
// pre-computed key values.
func compareRows(keys []compiledKey, ka, kb []Value) int {
	for i, k := range keys {
		a, b := ka[i], kb[i]
		an, bn := sortNull(a), sortNull(b)
		switch {
		case an && bn:
			continue
		case an || bn:
			if an == k.nullsFirst {
				return -1
			}
			return 1
		}
		c, ok := cmpAny(a, b)
		if !ok {
			c = strings.Compare(toString(a), toString(b))
		}
		if c != 0 {
			if k.desc {
				return -c
			}
			return c
		}
	}
	return 0
}

// sortedRow is a buffered row with its key values.
type sortedRow struct {
	keys []Value
	row  []Value
}

// sort orders the input by keys; limit >= 0 keeps only the first rows (top).
func (ev *env) sort(op string, keys []sortKey, limit int64, in stage) (stage, error) {
	sc := ev.scope(op, in.cols)
	ck := make([]compiledKey, len(keys))
	for i, k := range keys {
		c, err := sc.compile(k.e)
		if err != nil {
			return stage{}, err
		}
		ck[i] = compiledKey{c: c, desc: k.desc, nullsFirst: k.nullsFirst}
	}
	less := func(a, b sortedRow) int { return compareRows(ck, a.keys, b.keys) }
	return stage{cols: in.cols, run: func(yield func([]Value) bool) {
		var rows []sortedRow
		in.run(func(row []Value) bool {
			kv := make([]Value, len(ck))
			for i, k := range ck {
				kv[i] = k.c.f(row)
			}
			rows = append(rows, sortedRow{keys: kv, row: append([]Value(nil), row...)})
			if limit >= 0 && int64(len(rows)) >= 2*limit+1024 {
				slices.SortStableFunc(rows, less)
				rows = rows[:limit]
			}
			return true
		})
		slices.SortStableFunc(rows, less)
		if limit >= 0 && int64(len(rows)) > limit {
			rows = rows[:limit]
		}
		for _, r := range rows {
			if !yield(r.row) {
				return
			}
		}
	}}, nil
}
