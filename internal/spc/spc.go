// Package spc reads Steampipe connection files (*.spc) so that tools
// outside Steampipe, such as the plugin's login command, see the same
// connections Steampipe does.
package spc

import (
	"bytes"
	"fmt"
	"os"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Connection is one `connection "name" { ... }` block.
type Connection struct {
	Name   string
	Plugin string
	// Type is "" for a plain connection or "aggregator".
	Type string
	// Connections lists an aggregator's members; entries may hold wildcards.
	Connections []string
	// Body is the HCL source of the block's remaining attributes and nested
	// blocks (plugin, type, connections and options removed), one per line,
	// in file order: the text Steampipe hands to the plugin as its config.
	Body string
	File string
	Line int
}

// Load parses every file in paths and returns their connection blocks in
// file order. Top-level plugin and options blocks are skipped. A syntax
// error, a malformed connection block or a connection name declared twice
// is an error naming file and line.
func Load(paths ...string) ([]Connection, error) {
	var conns []Connection
	seen := map[string]Connection{}
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		parsed, err := parse(src, path)
		if err != nil {
			return nil, err
		}
		for _, c := range parsed {
			if prev, ok := seen[c.Name]; ok {
				return nil, fmt.Errorf("%s:%d: connection %q is already declared at %s:%d", c.File, c.Line, c.Name, prev.File, prev.Line)
			}
			seen[c.Name] = c
			conns = append(conns, c)
		}
	}
	return conns, nil
}

func parse(src []byte, filename string) ([]Connection, error) {
	file, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body := file.Body.(*hclsyntax.Body)
	var conns []Connection
	for _, block := range body.Blocks {
		if block.Type != "connection" {
			continue
		}
		c, err := connection(block, src)
		if err != nil {
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}

func connection(block *hclsyntax.Block, src []byte) (Connection, error) {
	at := block.DefRange()
	if len(block.Labels) != 1 || block.Labels[0] == "" {
		return Connection{}, fmt.Errorf("%s:%d: a connection block needs exactly one name label, as in connection \"defender\" { ... }", at.Filename, at.Start.Line)
	}
	c := Connection{Name: block.Labels[0], File: at.Filename, Line: at.Start.Line}
	var err error
	if c.Plugin, err = stringAttr(block.Body, "plugin"); err != nil {
		return Connection{}, err
	}
	if c.Type, err = stringAttr(block.Body, "type"); err != nil {
		return Connection{}, err
	}
	if c.Connections, err = listAttr(block.Body, "connections"); err != nil {
		return Connection{}, err
	}
	switch c.Type {
	case "", "aggregator":
	default:
		return Connection{}, fmt.Errorf("%s:%d: connection %q has type %q; the only type is \"aggregator\"", c.File, c.Line, c.Name, c.Type)
	}
	if c.Plugin == "" {
		return Connection{}, fmt.Errorf("%s:%d: connection %q has no plugin attribute", c.File, c.Line, c.Name)
	}
	c.Body = remainder(block.Body, src)
	return c, nil
}

// stringAttr evaluates a string attribute without variables; a missing
// attribute is "".
func stringAttr(body *hclsyntax.Body, name string) (string, error) {
	attr, ok := body.Attributes[name]
	if !ok {
		return "", nil
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", fmt.Errorf("%s: %s must be a string", attr.SrcRange, name)
	}
	return v.AsString(), nil
}

// listAttr evaluates a list-of-strings attribute; a missing attribute is nil.
func listAttr(body *hclsyntax.Body, name string) ([]string, error) {
	attr, ok := body.Attributes[name]
	if !ok {
		return nil, nil
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return nil, diags
	}
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsTupleType() || v.Type().IsListType()) {
		return nil, fmt.Errorf("%s: %s must be a list of strings", attr.SrcRange, name)
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || !e.IsKnown() || e.Type() != cty.String {
			return nil, fmt.Errorf("%s: %s must be a list of strings", attr.SrcRange, name)
		}
		out = append(out, e.AsString())
	}
	return out, nil
}

// remainder returns the source text of the attributes and nested blocks
// that belong to the plugin's own configuration.
func remainder(body *hclsyntax.Body, src []byte) string {
	var ranges []hcl.Range
	for name, attr := range body.Attributes {
		switch name {
		case "plugin", "type", "connections":
			continue
		}
		ranges = append(ranges, attr.SrcRange)
	}
	for _, b := range body.Blocks {
		if b.Type == "options" {
			continue
		}
		ranges = append(ranges, b.Range())
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i].Start.Byte < ranges[j].Start.Byte })
	var buf bytes.Buffer
	for _, r := range ranges {
		buf.Write(r.SliceBytes(src))
		buf.WriteByte('\n')
	}
	return buf.String()
}
