package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

type simCall = sim.Call

// sample holds the distinct non-NULL SQL values of each column.
type sample map[string][]any

func sampleTable(t *testing.T, def *schema.Table) sample {
	t.Helper()
	tbl, ok := srv.Data().Table(def.Name)
	if !ok {
		t.Fatalf("simulator has no table %s", def.Name)
	}
	seen := map[string]map[string]bool{}
	s := sample{}
	tbl.Scan(func(vals []any) bool {
		r, err := SQLRow(def, tbl.Columns, vals, "")
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range r {
			if v == nil {
				continue
			}
			key := fmt.Sprintf("%T:%v", v, v)
			if seen[k] == nil {
				seen[k] = map[string]bool{}
			}
			if !seen[k][key] {
				seen[k][key] = true
				s[k] = append(s[k], v)
			}
		}
		return true
	})
	for k := range s {
		sort.Slice(s[k], func(i, j int) bool { return compare(s[k][i], s[k][j]) < 0 })
	}
	return s
}

// pick returns the value at fraction f of the sorted distinct values.
func (s sample) pick(col string, f float64) any {
	vs := s[col]
	if len(vs) == 0 {
		return nil
	}
	i := int(f * float64(len(vs)-1))
	return vs[i]
}

// qualSets builds qual sets for def from its data: every operator on text,
// number, timestamp and bool columns, plus combinations and NULL cases.
func qualSets(t *testing.T, def *schema.Table) [][]Qual {
	s := sampleTable(t, def)
	ts := schema.SnakeCase(def.TimeColumn)
	var sets [][]Qual
	add := func(q ...Qual) { sets = append(sets, q) }

	var texts, numbers, bools []string
	for _, c := range def.Columns {
		n := c.SQLName()
		if len(s[n]) < 2 || c.IsJSON() {
			continue
		}
		switch c.Type {
		case schema.String:
			texts = append(texts, n)
		case schema.Long, schema.Int:
			numbers = append(numbers, n)
		case schema.Bool:
			bools = append(bools, n)
		}
	}
	texts = spread(texts, 6)
	numbers = spread(numbers, 3)
	bools = spread(bools, 2)

	for _, c := range texts {
		v := s.pick(c, 0.3).(string)
		w := s.pick(c, 0.7).(string)
		r := []rune(v)
		add(Qual{Column: c, Op: "=", Value: v})
		add(Qual{Column: c, Op: "<>", Value: v})
		add(Qual{Column: c, Op: "=", Value: []any{v, w, nil}})
		add(Qual{Column: c, Op: "<>", Value: []any{v, w}})
		add(Qual{Column: c, Op: "~~", Value: string(r[:min(3, len(r))]) + "%"})
		add(Qual{Column: c, Op: "~~*", Value: "%" + strings.ToUpper(string(r[len(r)/2:min(len(r)/2+2, len(r))])) + "%"})
		add(Qual{Column: c, Op: "!~~", Value: "%" + string(r[len(r)-1:])})
		add(Qual{Column: c, Op: "!~~*", Value: strings.ToUpper(string(r[:1])) + "%"})
		add(Qual{Column: c, Op: "~~", Value: "_" + string(r[1:min(3, len(r))]) + "%"})
		add(Qual{Column: c, Op: "is null", Value: nil})
		add(Qual{Column: c, Op: "is not null", Value: nil})
	}
	for _, c := range numbers {
		v := s.pick(c, 0.5)
		add(Qual{Column: c, Op: "=", Value: v})
		add(Qual{Column: c, Op: ">", Value: v})
		add(Qual{Column: c, Op: "<=", Value: v})
		add(Qual{Column: c, Op: "<>", Value: v})
		add(Qual{Column: c, Op: "=", Value: []any{s.pick(c, 0.1), s.pick(c, 0.9)}})
		add(Qual{Column: c, Op: "<>", Value: []any{s.pick(c, 0.1), nil}})
		add(Qual{Column: c, Op: "is null", Value: nil})
	}
	for _, c := range bools {
		add(Qual{Column: c, Op: "=", Value: true})
		add(Qual{Column: c, Op: "=", Value: false})
		add(Qual{Column: c, Op: "<>", Value: true})
	}
	if ts != "" {
		mid := s.pick(ts, 0.6).(time.Time)
		add(Qual{Column: ts, Op: ">", Value: mid})
		add(Qual{Column: ts, Op: ">=", Value: mid}, Qual{Column: ts, Op: "<", Value: mid.Add(48 * time.Hour)})
		add(Qual{Column: ts, Op: "=", Value: mid})
		add(Qual{Column: ts, Op: "<=", Value: mid})
		add(Qual{Column: ts, Op: "<", Value: simNow.Add(-35 * 24 * time.Hour)})
		add(Qual{Column: ts, Op: ">", Value: simNow.Add(-90 * 24 * time.Hour)})
		if len(texts) > 0 {
			add(Qual{Column: texts[0], Op: "=", Value: s.pick(texts[0], 0.5)}, Qual{Column: ts, Op: ">", Value: simNow.Add(-7 * 24 * time.Hour)})
		}
	}
	if len(texts) > 1 {
		add(Qual{Column: texts[0], Op: "~~*", Value: "%a%"}, Qual{Column: texts[1], Op: "is not null", Value: nil})
		add(Qual{Column: texts[1], Op: "=", Value: nil})
	}
	return sets
}

// spread keeps up to n names, evenly spaced, so the sets cover different
// parts of the table.
func spread(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, names[i*len(names)/n])
	}
	return out
}

// scanColumns are the columns a scan reads: the quals' columns, the time
// column and two more, as the FDW sends the select list plus the WHERE
// columns.
func scanColumns(def *schema.Table, qs []Qual) []string {
	cols := map[string]bool{}
	for _, q := range qs {
		cols[q.Column] = true
	}
	if def.TimeColumn != "" {
		cols[schema.SnakeCase(def.TimeColumn)] = true
	}
	cols[def.Columns[1].SQLName()] = true
	cols[def.Columns[len(def.Columns)-1].SQLName()] = true
	var out []string
	for c := range cols {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func describe(qs []Qual) string {
	var parts []string
	for _, q := range qs {
		parts = append(parts, q.Column+q.Op)
	}
	return strings.Join(parts, "&")
}
