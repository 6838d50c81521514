package schema

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// checkSentence reports why d is not a one-line, capitalised sentence
// describing something named name, or "" when it is.
func checkSentence(d, name string) string {
	switch {
	case strings.TrimSpace(d) == "":
		return "is empty"
	case strings.ContainsAny(d, "\n\r"):
		return "spans several lines"
	case !strings.HasSuffix(d, "."):
		return "does not end with a period"
	case len(d) > 160:
		return "is longer than 160 characters"
	}
	if r, _ := utf8.DecodeRuneInString(d); !unicode.IsUpper(r) {
		return "does not start with a capital letter"
	}
	bare := strings.TrimSuffix(d, ".")
	if strings.EqualFold(bare, name) || strings.EqualFold(bare, SnakeCase(name)) ||
		strings.EqualFold(strings.ReplaceAll(bare, " ", ""), name) {
		return "only repeats the name"
	}
	return ""
}

func TestTableDescriptions(t *testing.T) {
	for _, tb := range Tables() {
		if why := checkSentence(tb.Description, tb.Name); why != "" {
			t.Errorf("%s: description %s: %q", tb.Name, why, tb.Description)
		}
		lower := strings.ToLower(tb.Description)
		switch tb.Status {
		case Preview:
			if !strings.Contains(lower, "preview") {
				t.Errorf("%s: preview table's description does not say it is in preview: %q", tb.Name, tb.Description)
			}
		case Deprecated:
			if !strings.Contains(lower, "deprecated") {
				t.Errorf("%s: deprecated table's description does not say so: %q", tb.Name, tb.Description)
			}
			if len(tb.ReplacedBy) == 0 {
				t.Errorf("%s: deprecated table names no replacement", tb.Name)
			}
			for _, r := range tb.ReplacedBy {
				rt := Lookup(r)
				if rt == nil {
					t.Errorf("%s: replacement %s is not a known table", tb.Name, r)
					continue
				}
				if !strings.Contains(tb.Description, rt.SQLName()) {
					t.Errorf("%s: description does not name replacement %s: %q", tb.Name, rt.SQLName(), tb.Description)
				}
			}
		default:
			if strings.Contains(lower, "deprecated") || strings.Contains(lower, "preview") {
				t.Errorf("%s: %s table's description claims preview or deprecated: %q", tb.Name, tb.Status, tb.Description)
			}
		}
	}
}

func TestColumnDescriptions(t *testing.T) {
	n := 0
	for _, tb := range Tables() {
		for _, c := range tb.Columns {
			n++
			if why := checkSentence(c.Description, c.Name); why != "" {
				t.Errorf("%s.%s: description %s: %q", tb.Name, c.Name, why, c.Description)
			}
			if c.IsJSON() && !strings.Contains(c.Description, "JSON") {
				t.Errorf("%s.%s: JSON column's description does not say the value is JSON: %q", tb.Name, c.Name, c.Description)
			}
		}
	}
	if n == 0 {
		t.Fatal("no columns declared")
	}
}

func TestCheckSentenceRejects(t *testing.T) {
	for _, d := range []string{"", "  ", "lower case start.", "No period", "DeviceName.", "Device name.", "Two\nlines."} {
		if checkSentence(d, "DeviceName") == "" {
			t.Errorf("checkSentence accepted %q", d)
		}
	}
	if why := checkSentence("Name of the device.", "DeviceName"); why != "" {
		t.Errorf("checkSentence rejected a good description: %s", why)
	}
}
