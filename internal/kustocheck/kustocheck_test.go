package kustocheck

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// check runs Check, skipping outside CI when the parser is not installed.
func check(t *testing.T, qs []Query) [][]Diagnostic {
	t.Helper()
	ds, err := Check(qs)
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestCheck(t *testing.T) {
	extra := []Table{{Name: "T", Columns: []Column{{Name: "N", Type: "int"}, {Name: "G", Type: "guid"}}}}
	tests := []struct {
		q    Query
		want string // a text every error message of the query holds; "" for none
	}{
		{Query{KQL: `['DeviceProcessEvents'] | where ['Timestamp'] >= datetime(2026-11-26T09:12:44.0000010Z) and ['FileName'] == "a" | sort by ['Timestamp'] desc nulls first | take 20 | project ['DeviceName']`}, ""},
		{Query{KQL: `DeviceInfo | where NoSuchColumn == 1`}, "NoSuchColumn"},
		{Query{KQL: `['T'] | where ['N'] > long(1) and isnotnull(['G'])`, Tables: extra}, ""},
		{Query{KQL: `['T'] | where ['N'] > 1`}, "'T'"},
		{Query{KQL: `DeviceInfo | where`}, "expression"},
	}
	qs := make([]Query, len(tests))
	for i, tc := range tests {
		qs[i] = tc.q
	}
	ds := check(t, qs)
	for i, tc := range tests {
		if tc.want == "" && len(ds[i]) != 0 || tc.want != "" && len(ds[i]) == 0 {
			t.Errorf("%s: errors %v, want errors: %v", tc.q.KQL, ds[i], tc.want != "")
		}
		for _, d := range ds[i] {
			if !strings.Contains(d.Message, tc.want) || d.Code == "" {
				t.Errorf("%s: %v, want a message naming %s", tc.q.KQL, d, tc.want)
			}
		}
	}
	if d := ds[1][0]; d.Text != "NoSuchColumn" || d.Start != len("DeviceInfo | where ") {
		t.Errorf("diagnostic %+v does not locate NoSuchColumn", d)
	}
}

func TestCollectorVerify(t *testing.T) {
	var c Collector
	c.Add(Query{KQL: "DeviceInfo | take 1"})
	c.Add(Query{KQL: "DeviceInfo | take 1"})
	c.Add(Query{KQL: ""})
	c.Add(Query{KQL: "DeviceInfo | where Nope"})
	if len(c.qs) != 2 {
		t.Fatalf("collected %d queries, want 2", len(c.qs))
	}
	check(t, c.qs) // skips when the parser is missing
	var out strings.Builder
	err := c.Verify(&out)
	if err == nil || !strings.Contains(err.Error(), "DeviceInfo | where Nope") || !strings.Contains(err.Error(), "KS142") {
		t.Errorf("Verify = %v, want the failing query and its diagnostic", err)
	}
	if !strings.Contains(out.String(), "2 distinct queries") {
		t.Errorf("summary %q", out.String())
	}
	var none *Collector
	none.Add(Query{KQL: "x"})
	if err := none.Verify(&out); err != nil {
		t.Errorf("nil Collector: %v", err)
	}
}

func TestAddCalls(t *testing.T) {
	var c Collector
	c.AddCalls([]sim.Call{
		{Query: "A", Status: 200},
		{Query: "B", Status: 400},                // the simulator refused the KQL
		{Query: "C", Status: 400, Fault: "fail"}, // an injected failure
		{Query: "D", Status: 429},
		{Query: "", Status: 401},
		{Query: "A", Status: 200},
	})
	var got []string
	for _, q := range c.qs {
		got = append(got, q.KQL)
	}
	if strings.Join(got, ",") != "A,C,D" {
		t.Errorf("collected %v, want A, C, D", got)
	}
}
