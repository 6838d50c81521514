package pgbed

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// modDir is the posture mod, relative to this package.
var modDir = filepath.Join(root, "mods", "defender_posture")

// topBenchmark is the benchmark `powerpipe benchmark run` starts from.
const topBenchmark = "defender_posture"

// control is one control of the mod, with its SQL and the values of its
// params ($1, $2, … in declaration order) from their defaults.
type control struct {
	name   string
	sql    string
	params []cty.Value
}

// mod is what the tests need of the mod's .pp files.
type mod struct {
	controls   map[string]*control
	benchmarks map[string][]string // name → children, as "control.x" or "benchmark.y"
}

// ppSchema is the part of the Powerpipe file format the tests read.
var ppSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "mod", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "benchmark", LabelNames: []string{"name"}},
	{Type: "control", LabelNames: []string{"name"}},
}}

// loadMod parses every .pp file of the mod with hashicorp/hcl and
// evaluates each control's param defaults, var.x included.
func loadMod(t *testing.T) *mod {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(modDir, "*.pp"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .pp files in %s: %v", modDir, err)
	}
	p := hclparse.NewParser()
	var blocks hcl.Blocks
	for _, f := range files {
		file, diags := p.ParseHCLFile(f)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		content, _, diags := file.Body.PartialContent(ppSchema)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		blocks = append(blocks, content.Blocks...)
	}
	vars := map[string]cty.Value{}
	for _, b := range blocks.OfType("variable") {
		attrs, diags := b.Body.JustAttributes()
		if diags.HasErrors() {
			t.Fatalf("variable %s: %v", b.Labels[0], diags)
		}
		def, ok := attrs["default"]
		if !ok {
			t.Fatalf("variable %s has no default", b.Labels[0])
		}
		v, diags := def.Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("variable %s: %v", b.Labels[0], diags)
		}
		vars[b.Labels[0]] = v
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}}
	m := &mod{controls: map[string]*control{}, benchmarks: map[string][]string{}}
	controlSchema := &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "sql", Required: true}, {Name: "title"}, {Name: "description"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "param", LabelNames: []string{"name"}}},
	}
	for _, b := range blocks.OfType("control") {
		content, diags := b.Body.Content(controlSchema)
		if diags.HasErrors() {
			t.Fatalf("control %s: %v", b.Labels[0], diags)
		}
		sql, diags := content.Attributes["sql"].Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("control %s: %v", b.Labels[0], diags)
		}
		c := &control{name: b.Labels[0], sql: sql.AsString()}
		for _, pb := range content.Blocks {
			attrs, diags := pb.Body.JustAttributes()
			if diags.HasErrors() {
				t.Fatalf("control %s param %s: %v", c.name, pb.Labels[0], diags)
			}
			v, diags := attrs["default"].Expr.Value(ctx)
			if diags.HasErrors() {
				t.Fatalf("control %s param %s: %v", c.name, pb.Labels[0], diags)
			}
			c.params = append(c.params, v)
		}
		if m.controls[c.name] != nil {
			t.Fatalf("control %s declared twice", c.name)
		}
		m.controls[c.name] = c
	}
	for _, b := range blocks.OfType("benchmark") {
		attrs, diags := b.Body.JustAttributes()
		if diags.HasErrors() {
			t.Fatalf("benchmark %s: %v", b.Labels[0], diags)
		}
		ch, ok := attrs["children"]
		if !ok {
			t.Fatalf("benchmark %s has no children", b.Labels[0])
		}
		for _, tr := range ch.Expr.Variables() {
			var parts []string
			for _, step := range tr {
				switch s := step.(type) {
				case hcl.TraverseRoot:
					parts = append(parts, s.Name)
				case hcl.TraverseAttr:
					parts = append(parts, s.Name)
				}
			}
			m.benchmarks[b.Labels[0]] = append(m.benchmarks[b.Labels[0]], strings.Join(parts, "."))
		}
	}
	return m
}

// reachable returns the controls reachable from benchmark name.
func (m *mod) reachable(t *testing.T, name string, seen map[string]bool) {
	for _, child := range m.benchmarks[name] {
		kind, n, _ := strings.Cut(child, ".")
		switch {
		case seen[child]:
		case kind == "benchmark" && m.benchmarks[n] != nil:
			seen[child] = true
			m.reachable(t, n, seen)
		case kind == "control" && m.controls[n] != nil:
			seen[child] = true
		default:
			t.Errorf("benchmark %s names %s, which is not declared", name, child)
		}
	}
}

// pgLiteral renders a param value as an SQL literal.
func pgLiteral(v cty.Value) (string, error) {
	switch {
	case v.Type() == cty.String:
		return "'" + strings.ReplaceAll(v.AsString(), "'", "''") + "'", nil
	case v.Type() == cty.Number:
		return v.AsBigFloat().Text('f', -1), nil
	case v.Type() == cty.Bool:
		return strconv.FormatBool(v.True()), nil
	case v.Type().IsListType() || v.Type().IsTupleType():
		var items []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			s, err := pgLiteral(e)
			if err != nil {
				return "", err
			}
			items = append(items, s)
		}
		return "array[" + strings.Join(items, ", ") + "]", nil
	}
	return "", fmt.Errorf("param of type %s", v.Type().FriendlyName())
}

// boundSQL is the control's SQL with $1, $2, … replaced by the literals
// of its param defaults, as Powerpipe binds them.
func (c *control) boundSQL() (string, error) {
	sql := c.sql
	for i := len(c.params); i >= 1; i-- { // $10 before $1
		lit, err := pgLiteral(c.params[i-1])
		if err != nil {
			return "", fmt.Errorf("control %s param %d: %w", c.name, i, err)
		}
		sql = strings.ReplaceAll(sql, "$"+strconv.Itoa(i), lit)
	}
	return sql, nil
}

// TestModParses checks that the mod's files parse with hashicorp/hcl, that
// it has at least 15 controls and that each is reachable from the top
// benchmark.
func TestModParses(t *testing.T) {
	m := loadMod(t)
	if len(m.controls) < 15 {
		t.Errorf("%d controls, want at least 15", len(m.controls))
	}
	if m.benchmarks[topBenchmark] == nil {
		t.Fatalf("no benchmark %s", topBenchmark)
	}
	seen := map[string]bool{}
	m.reachable(t, topBenchmark, seen)
	var missing []string
	for name := range m.controls {
		if !seen["control."+name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("controls not reachable from benchmark %s: %v", topBenchmark, missing)
	}
	for name, c := range m.controls {
		if _, err := c.boundSQL(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
