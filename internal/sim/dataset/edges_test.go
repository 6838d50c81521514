package dataset

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// edgeCounts tallies the awkward values a consumer must survive.
type edgeCounts map[string]int

func (e edgeCounts) str(s string) {
	if s == "" {
		e["empty string"]++
		return
	}
	for _, c := range []struct{ name, sub string }{
		{"single quote", "'"}, {"double quote", `"`}, {"backslash", `\`}, {"percent", "%"}, {"underscore", "_"},
		{"tab", "\t"}, {"newline", "\n"},
	} {
		if strings.Contains(s, c.sub) {
			e[c.name]++
		}
	}
	kinds := map[string]bool{}
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			kinds["non-BMP"] = true
		case unicode.Is(unicode.Cyrillic, r):
			kinds["Cyrillic"] = true
		case unicode.Is(unicode.Han, r):
			kinds["CJK"] = true
		case r == 'é' || r == 'ü' || r == 'ß':
			kinds["accented Latin"] = true
		}
	}
	for k := range kinds {
		e[k]++
	}
}

func (e edgeCounts) dynamic(v any, depth int) {
	switch x := v.(type) {
	case nil:
		e["null inside dynamic"]++
	case map[string]any:
		e["dynamic object"]++
		if depth > 0 {
			e["nested dynamic"]++
		}
		for _, y := range x {
			e.dynamic(y, depth+1)
		}
	case []any:
		e["dynamic array"]++
		for _, y := range x {
			e.dynamic(y, depth+1)
		}
	case json.Number:
		e["dynamic number"]++
	}
}

func countEdges(t *testing.T, d *Dataset, tables []string) edgeCounts {
	e := edgeCounts{}
	for _, name := range tables {
		st := schema.Lookup(name)
		tab, _ := d.Table(name)
		tab.Scan(func(row []engine.Value) bool {
			for k, v := range row {
				col := st.Columns[k]
				switch x := v.(type) {
				case nil:
					if col.Type == schema.Dynamic {
						e["dynamic null"]++
					} else {
						e["null scalar"]++
					}
				case string:
					e.str(x)
					if col.JSONText && x != "" {
						if json.Valid([]byte(x)) {
							e["valid JSON text"]++
						} else {
							e["invalid JSON text"]++
						}
					}
				case int64:
					if x > 1<<53 {
						e["long above 2^53"]++
					}
					if x < 0 {
						e["negative long"]++
					}
				case engine.Dynamic:
					e.dynamic(x.V, 0)
				}
			}
			return true
		})
	}
	return e
}

func TestEdgeValuesPresent(t *testing.T) {
	d := newTest(t)
	all := countEdges(t, d, d.Names())
	t.Logf("edge values across all tables: %v", all)
	for _, k := range []string{"empty string", "null scalar", "dynamic null", "null inside dynamic", "dynamic object",
		"dynamic array", "nested dynamic", "dynamic number", "valid JSON text", "invalid JSON text", "long above 2^53",
		"negative long", "single quote", "double quote", "backslash", "percent", "underscore", "tab", "newline",
		"non-BMP", "Cyrillic", "CJK", "accented Latin"} {
		if all[k] == 0 {
			t.Errorf("no %s anywhere", k)
		}
	}
	// The main tables each carry the common kinds on their own.
	for _, name := range []string{"DeviceProcessEvents", "DeviceInfo", "EmailEvents"} {
		e := countEdges(t, d, []string{name})
		for _, k := range []string{"empty string", "null scalar", "invalid JSON text", "long above 2^53", "non-BMP"} {
			if name == "DeviceInfo" && k == "non-BMP" {
				continue
			}
			if e[k] == 0 {
				t.Errorf("%s has no %s", name, k)
			}
		}
	}
}

func TestProcessNameCaseVariants(t *testing.T) {
	d := newTest(t)
	spellings := map[string]bool{}
	for _, r := range scan(t, d, "DeviceProcessEvents") {
		if n := str0(r["FileName"]); strings.EqualFold(n, "powershell.exe") {
			spellings[n] = true
		}
	}
	if len(spellings) < 3 {
		t.Errorf("powershell.exe appears as %v, want at least three spellings", spellings)
	}
}
