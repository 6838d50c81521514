package odatafilter

import (
	"testing"
	"time"
)

func TestParseAndEval(t *testing.T) {
	rec := map[string]Value{
		"status": "active", "severity": "high", "assignedTo": "it's me",
		"createdDateTime": time.Date(2024, 3, 5, 7, 8, 9, 123456700, time.UTC), "classification": nil,
	}
	get := func(p string) Value { return rec[p] }
	tests := map[string]bool{
		"status eq 'active'":                                               true,
		"status ne 'active'":                                               false,
		"status eq 'Active'":                                               false,
		"assignedTo eq 'it''s me'":                                         true,
		"status in ('resolved', 'active')":                                 true,
		"status in ('resolved')":                                           false,
		"classification eq null":                                           true,
		"classification ne 'falsePositive'":                                true,
		"classification eq 'falsePositive'":                                false,
		"createdDateTime ge 2024-03-05T07:08:09.1234567Z":                  true,
		"createdDateTime gt 2024-03-05T07:08:09.1234567Z":                  false,
		"createdDateTime lt 2024-03-05T09:08:09+02:00":                     false,
		"createdDateTime le 2024-03-05T07:08:09.123456700000Z":             true,
		"createdDateTime gt 2024-03-05T07:08Z":                             true,
		"status eq 'active' and (severity eq 'low' or severity eq 'high')": true,
		"not (status eq 'active')":                                         false,
		"status eq 'x' or not severity eq 'low'":                           true,
		"  status   eq   'active'  ":                                       true,
		"(status eq 'active') and ((severity eq 'medium'))":                false,
	}
	for src, want := range tests {
		e, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if got := Eval(e, get); got != want {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, src := range []string{
		"", "status", "status eq", "status eq 'x", "status eq 'a' 'b'", "startswith(status,'a')",
		"evidence/any(e: e eq 'x')", "status has 'x'", "status eq active", "(status eq 'a'",
		"status in 'a'", "status in ('a',)", "1 eq status", "status eq 'a' and", "status EQ 'a'",
		"createdDateTime ge 2024-03-05", "createdDateTime ge 2024-03-05T07:08:09.12345678Z",
		"status eq 'a' xor status eq 'b'", "bad\xff eq 'a'",
	} {
		if e, err := Parse(src); err == nil {
			t.Errorf("Parse(%q) = %#v, want an error", src, e)
		}
	}
}
