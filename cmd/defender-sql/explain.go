package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
)

// explainStatement runs a statement with every scan answered empty and
// prints the requests the scans would send.
func (s *shell) explainStatement(ctx context.Context, stmt string) error {
	n := 0
	ctx = defender.Explain(ctx, func(c defender.Call) {
		n++
		s.printCall(s.out, c)
	})
	rows, err := s.db.Query(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(s.out, "-- no request: the statement reads no Defender table, or every condition excludes all rows")
	}
	return nil
}

// printCall prints one request: a comment line naming the table,
// connection and Timespan (or how the call ended), then the KQL or the
// Graph URL, then a blank line.
func (s *shell) printCall(w io.Writer, c defender.Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	head := fmt.Sprintf("-- %s (connection %s)", c.Table, c.Connection)
	if c.Timespan != "" {
		head += " Timespan " + c.Timespan
	}
	if c.Status != "not sent" {
		head += fmt.Sprintf(": %s, %d rows, %s", c.Status, c.Rows, c.Duration.Round(time.Millisecond))
		if c.Throttled > 0 {
			head += fmt.Sprintf(", throttled %s", c.Throttled.Round(time.Millisecond))
		}
	}
	req := c.KQL
	if c.URL != "" {
		req = "GET " + c.URL
	}
	fmt.Fprintf(w, "%s\n%s\n\n", head, strings.TrimSpace(req))
}
