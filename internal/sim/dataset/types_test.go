package dataset

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func newTest(t testing.TB) *Dataset {
	t.Helper()
	return New(Options{Seed: 42, Now: testNow})
}

// checkType reports whether v has the Go type the engine expects for t.
func checkType(t engine.Type, v engine.Value) error {
	if v == nil {
		if t == engine.TString {
			return fmt.Errorf("nil string")
		}
		return nil
	}
	ok := false
	switch t {
	case engine.TString:
		_, ok = v.(string)
	case engine.TLong, engine.TInt:
		_, ok = v.(int64)
	case engine.TReal:
		_, ok = v.(float64)
	case engine.TBool:
		_, ok = v.(bool)
	case engine.TDateTime:
		var tm time.Time
		tm, ok = v.(time.Time)
		if ok && (tm.Location() != time.UTC || tm.Nanosecond()%100 != 0) {
			return fmt.Errorf("datetime %v not UTC at 100 ns resolution", tm)
		}
	case engine.TGUID:
		var g engine.GUID
		g, ok = v.(engine.GUID)
		if ok && !isGUID(string(g)) {
			return fmt.Errorf("malformed guid %q", g)
		}
	case engine.TDynamic:
		var d engine.Dynamic
		d, ok = v.(engine.Dynamic)
		if ok {
			return checkJSONValue(d.V)
		}
	}
	if !ok {
		return fmt.Errorf("%T for %s", v, t)
	}
	return nil
}

// checkJSONValue accepts only the Go types that decoded JSON produces.
func checkJSONValue(v any) error {
	switch x := v.(type) {
	case nil, string, bool:
		return nil
	case json.Number:
		if _, err := x.Float64(); err != nil {
			return fmt.Errorf("bad number %q", x)
		}
		return nil
	case []any:
		for _, e := range x {
			if err := checkJSONValue(e); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		for _, e := range x {
			if err := checkJSONValue(e); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("dynamic holds %T", v)
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func TestEverySchemaTablePresent(t *testing.T) {
	d := newTest(t)
	if got, want := len(d.Names()), len(schema.Tables()); got != want || got != 65 {
		t.Fatalf("Names() has %d tables, schema has %d, want 65", got, want)
	}
	for _, st := range schema.Tables() {
		tab, ok := d.Table(st.Name)
		if !ok {
			t.Errorf("table %s missing", st.Name)
			continue
		}
		if tab.Name != st.Name || len(tab.Columns) != len(st.Columns) {
			t.Errorf("%s: name %q, %d columns, want %d", st.Name, tab.Name, len(tab.Columns), len(st.Columns))
			continue
		}
		for k, c := range st.Columns {
			if tab.Columns[k].Name != c.Name || string(tab.Columns[k].Type) != string(c.Type) {
				t.Errorf("%s column %d = %+v, want %s %s", st.Name, k, tab.Columns[k], c.Name, c.Type)
			}
		}
	}
	if _, ok := d.Table("deviceprocessevents"); ok {
		t.Error("table names must be case-sensitive")
	}
}

func TestValueTypesMatchSchema(t *testing.T) {
	d := newTest(t)
	for _, name := range d.Names() {
		tab, _ := d.Table(name)
		st := schema.Lookup(name)
		rows, bad := 0, 0
		tab.Scan(func(row []engine.Value) bool {
			rows++
			if len(row) != len(tab.Columns) {
				t.Fatalf("%s row %d has %d values, want %d", name, rows-1, len(row), len(tab.Columns))
			}
			for k, v := range row {
				if err := checkType(tab.Columns[k].Type, v); err != nil && bad < 5 {
					bad++
					t.Errorf("%s row %d column %s: %v", name, rows-1, tab.Columns[k].Name, err)
				}
				if st.TimeColumn != "" && tab.Columns[k].Name == st.TimeColumn && v == nil {
					t.Errorf("%s row %d: time column %s is null", name, rows-1, st.TimeColumn)
				}
			}
			return true
		})
		if rows != d.Rows(name) {
			t.Errorf("%s: scanned %d rows, Rows() = %d", name, rows, d.Rows(name))
		}
		if rows == 0 {
			t.Errorf("%s: no rows", name)
		}
	}
}
