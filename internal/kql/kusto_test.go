package kql

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/kustocheck"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// kusto gathers every query the tests render, fuzz seed corpora included,
// for TestMain to check with Microsoft's Kusto parser. While fuzzing it is
// nil: fuzzers render millions of queries.
var kusto = &kustocheck.Collector{}

func TestMain(m *testing.M) {
	flag.Parse()
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			kusto = nil
		}
	}
	code := m.Run()
	if err := kusto.Verify(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// CollectKQL records a query the external tests rendered, over the
// advanced hunting tables and tables.
func CollectKQL(src string, tables ...kustocheck.Table) {
	kusto.Add(kustocheck.Query{KQL: src, Tables: tables})
}

// collectQuery records src, rendered from q. Unless q names an advanced
// hunting table, its table is declared with the columns q uses, typed as
// q types them (a projected-only column as long).
func collectQuery(q Query, src string) {
	if schema.Lookup(q.Table) != nil {
		CollectKQL(src)
		return
	}
	t := kustocheck.Table{Name: q.Table}
	seen := map[string]bool{}
	add := func(name string, ty schema.Type) {
		if !seen[name] {
			seen[name] = true
			t.Columns = append(t.Columns, kustocheck.Column{Name: name, Type: string(ty)})
		}
	}
	for _, p := range q.Where {
		add(p.Column, p.Type)
	}
	for _, o := range q.OrderBy {
		add(o.Column, o.Type)
	}
	for _, c := range q.Project {
		add(c, schema.Long)
	}
	CollectKQL(src, t)
}
