package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab/sqlout"
)

// shell runs statements and prints their results.
type shell struct {
	db     *sqlvtab.DB
	format sqlout.Format
	out    io.Writer
	errOut io.Writer
	// explain prints each scan's requests instead of sending them and
	// printing rows; kql prints each request to errOut as it completes.
	explain, kql bool
	mu           sync.Mutex // serialises printCall
}

// exec runs one statement and prints its result or its error. Rows are
// printed as they arrive. Ctrl-C cancels the statement.
func (s *shell) exec(stmt string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := s.print(ctx, stmt)
	if err != nil {
		fmt.Fprintln(s.errOut, "error:", err)
	}
	return err
}

// print runs one statement and streams its rows to the output.
func (s *shell) print(ctx context.Context, stmt string) error {
	switch {
	case s.explain:
		return s.explainStatement(ctx, stmt)
	case s.kql:
		ctx = defender.WatchCalls(ctx, func(c defender.Call) { s.printCall(s.errOut, c) })
	}
	rows, err := s.db.Query(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil || len(cols) == 0 {
		return err
	}
	w := sqlout.NewWriter(s.out, s.format, cols)
	for rows.Next() {
		vals, err := rows.Values()
		if err == nil {
			err = w.Row(vals)
		}
		if err != nil {
			w.Close()
			return err
		}
	}
	if err := rows.Err(); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// script runs every statement from r and stops at the first error.
func (s *shell) script(r io.Reader) error {
	src, err := io.ReadAll(r)
	if err != nil {
		fmt.Fprintln(s.errOut, "error:", err)
		return err
	}
	stmts, rest := splitStatements(string(src))
	if strings.TrimSpace(stripComments(rest)) != "" {
		stmts = append(stmts, rest)
	}
	for _, st := range stmts {
		if err := s.exec(st); err != nil {
			return err
		}
	}
	return nil
}

// interactive reads statements at a prompt until .exit or end of input.
func (s *shell) interactive(r io.Reader) {
	in := bufio.NewScanner(r)
	in.Buffer(make([]byte, 64*1024), 16*1024*1024)
	fmt.Fprintln(s.out, "defender-sql: end statements with ;  .tables lists tables, .kql on|off shows the KQL sent, .exit quits")
	var pending string
	for {
		prompt := "defender> "
		if strings.TrimSpace(pending) != "" {
			prompt = "     ...> "
		}
		fmt.Fprint(s.out, prompt)
		if !in.Scan() {
			fmt.Fprintln(s.out)
			return
		}
		line := in.Text()
		if strings.TrimSpace(pending) == "" {
			switch strings.TrimSpace(line) {
			case ".exit", ".quit":
				return
			case ".tables":
				for _, t := range s.db.Tables() {
					fmt.Fprintln(s.out, t)
				}
				continue
			case ".kql on", ".kql off":
				s.kql = strings.TrimSpace(line) == ".kql on"
				continue
			}
		}
		pending += line + "\n"
		stmts, rest := splitStatements(pending)
		pending = rest
		for _, st := range stmts {
			s.exec(st)
		}
	}
}
