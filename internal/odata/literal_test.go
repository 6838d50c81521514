package odata

import (
	"errors"
	"testing"
	"time"
)

func TestString(t *testing.T) {
	tests := map[string]string{
		"":                   `''`,
		"active":             `'active'`,
		"it's":               `'it''s'`,
		"''":                 `''''''`,
		"a' or 1 eq 1 or 'b": `'a'' or 1 eq 1 or ''b'`,
		`back\slash "dq"`:    `'back\slash "dq"'`,
		"tab\tnl\n":          "'tab\tnl\n'",
		"&$filter=x#%+":      `'&$filter=x#%+'`,
		"Grüße 你好 🎉":         `'Grüße 你好 🎉'`,
	}
	for in, want := range tests {
		got, err := String(in)
		if err != nil || got != want {
			t.Errorf("String(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"a\xffb", "\xe2\x82", "nul\x00"} {
		if got, err := String(bad); !errors.Is(err, ErrNotExact) {
			t.Errorf("String(%q) = %s, %v; want ErrNotExact", bad, got, err)
		}
	}
}

func TestDateTimeOffset(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC), "2024-03-05T07:08:09.0000000Z"},
		{time.Date(2024, 3, 5, 7, 8, 9, 123456000, time.UTC), "2024-03-05T07:08:09.1234560Z"},
		{time.Date(2024, 3, 5, 7, 8, 9, 123456700, time.UTC), "2024-03-05T07:08:09.1234567Z"},
		{time.Date(2024, 3, 5, 1, 0, 0, 0, time.FixedZone("x", 2*3600)), "2024-03-04T23:00:00.0000000Z"},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "0001-01-01T00:00:00.0000000Z"},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC), "9999-12-31T23:59:59.9999999Z"},
	}
	for _, tc := range tests {
		got, err := DateTimeOffset(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("DateTimeOffset(%v) = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []time.Time{
		time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 1, 1, 0, 0, 0, 50, time.UTC),
	} {
		if got, err := DateTimeOffset(bad); !errors.Is(err, ErrNotExact) {
			t.Errorf("DateTimeOffset(%v) = %s, %v; want ErrNotExact", bad, got, err)
		}
	}
}

func TestEnum(t *testing.T) {
	for in, want := range map[string]string{"active": `'active'`, "unknownFutureValue": `'unknownFutureValue'`, "_x1": `'_x1'`} {
		if got, err := Enum(in); err != nil || got != want {
			t.Errorf("Enum(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "in progress", "a'b", "1st", "Ünknown", "x)", string(make([]byte, 129))} {
		if got, err := Enum(bad); !errors.Is(err, ErrNotExact) {
			t.Errorf("Enum(%q) = %s, %v; want ErrNotExact", bad, got, err)
		}
	}
}

func TestFilter(t *testing.T) {
	a := Compare("status", Eq, "'active'")
	b := Or(Compare("severity", Eq, "'high'"), Compare("severity", Eq, "'medium'"))
	if got, want := And(a, b), "(status eq 'active') and ((severity eq 'high') or (severity eq 'medium'))"; got != want {
		t.Errorf("And = %s, want %s", got, want)
	}
	if got := And(); got != "" {
		t.Errorf("And() = %q", got)
	}
	if got := Or(a); got != a {
		t.Errorf("Or(a) = %q", got)
	}
	for _, f := range []func(){
		func() { Compare("a b", Eq, "1") },
		func() { Compare("status", Op("has"), "1") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("Compare accepted a bad property or operator")
				}
			}()
			f()
		}()
	}
}
