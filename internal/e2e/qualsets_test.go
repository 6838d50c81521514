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
		add(Qual{c, "=", v})
		add(Qual{c, "<>", v})
		add(Qual{c, "=", []any{v, w, nil}})
		add(Qual{c, "<>", []any{v, w}})
		add(Qual{c, "~~", string(r[:min(3, len(r))]) + "%"})
		add(Qual{c, "~~*", "%" + strings.ToUpper(string(r[len(r)/2:min(len(r)/2+2, len(r))])) + "%"})
		add(Qual{c, "!~~", "%" + string(r[len(r)-1:])})
		add(Qual{c, "!~~*", strings.ToUpper(string(r[:1])) + "%"})
		add(Qual{c, "~~", "_" + string(r[1:min(3, len(r))]) + "%"})
		add(Qual{c, "is null", nil})
		add(Qual{c, "is not null", nil})
	}
	for _, c := range numbers {
		v := s.pick(c, 0.5)
		add(Qual{c, "=", v})
		add(Qual{c, ">", v})
		add(Qual{c, "<=", v})
		add(Qual{c, "<>", v})
		add(Qual{c, "=", []any{s.pick(c, 0.1), s.pick(c, 0.9)}})
		add(Qual{c, "<>", []any{s.pick(c, 0.1), nil}})
		add(Qual{c, "is null", nil})
	}
	for _, c := range bools {
		add(Qual{c, "=", true})
		add(Qual{c, "=", false})
		add(Qual{c, "<>", true})
	}
	if ts != "" {
		mid := s.pick(ts, 0.6).(time.Time)
		add(Qual{ts, ">", mid})
		add(Qual{ts, ">=", mid}, Qual{ts, "<", mid.Add(48 * time.Hour)})
		add(Qual{ts, "=", mid})
		add(Qual{ts, "<=", mid})
		add(Qual{ts, "<", simNow.Add(-35 * 24 * time.Hour)})
		add(Qual{ts, ">", simNow.Add(-90 * 24 * time.Hour)})
		if len(texts) > 0 {
			add(Qual{texts[0], "=", s.pick(texts[0], 0.5)}, Qual{ts, ">", simNow.Add(-7 * 24 * time.Hour)})
		}
	}
	if len(texts) > 1 {
		add(Qual{texts[0], "~~*", "%a%"}, Qual{texts[1], "is not null", nil})
		add(Qual{texts[1], "=", nil})
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
