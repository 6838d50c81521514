package apiclient

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrorLine is what a failed API call says about itself. Its String is
// "<Prefix>: <Summary> (HTTP <Status>, code <Code>): <Message>
// [request-id <RequestID>]. <Hint>. <TailLabel>: <Tail>", each part left
// out when empty. Callers collapse and clip Message and Tail as they need.
type ErrorLine struct {
	Prefix, Summary string
	Status          int
	Code            string
	Message         string
	RequestID       string
	Hint            string
	TailLabel, Tail string
}

// String renders the line.
func (l ErrorLine) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", l.Prefix, l.Summary)
	switch {
	case l.Status != 0 && l.Code != "":
		fmt.Fprintf(&b, " (HTTP %d, code %s)", l.Status, l.Code)
	case l.Status != 0:
		fmt.Fprintf(&b, " (HTTP %d)", l.Status)
	}
	if l.Message != "" {
		b.WriteString(": ")
		b.WriteString(l.Message)
	}
	if l.RequestID != "" {
		fmt.Fprintf(&b, " [request-id %s]", l.RequestID)
	}
	if l.Hint != "" {
		b.WriteString(". ")
		b.WriteString(l.Hint)
	}
	if l.Tail != "" {
		fmt.Fprintf(&b, ". %s: %s", l.TailLabel, l.Tail)
	}
	return b.String()
}

// OneLine collapses every run of white space in s, line breaks included,
// to one space.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Clip shortens s to at most n runes, marking the cut.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
