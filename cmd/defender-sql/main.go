// Command defender-sql runs SQL over Microsoft Defender XDR advanced
// hunting without Steampipe: the defender plugin runs in-process and its
// tables are SQLite virtual tables (see internal/sqlvtab).
//
// Usage:
//
//	defender-sql [--config PATH] [--connection NAME] [--output FORMAT] [--explain] [STATEMENT]
//
// With a STATEMENT argument it runs that statement. Otherwise it reads
// statements, each ended by ";", from standard input; when standard input
// is a terminal it shows a prompt, where ".tables" lists the tables,
// ".kql on" prints the KQL and Timespan of each request as queries run
// (".kql off" stops it) and ".exit" quits.
//
// --explain prints, for each scan a statement starts, the KQL and
// Timespan (or Graph URL) it would send, and sends nothing: every scan is
// answered with no rows, so a scan that SQLite would only start for the
// rows of another (the inner side of a join) is not shown.
//
// --config is a .spc file or a directory of them (default
// ~/.steampipe/config/defender.spc, under $STEAMPIPE_INSTALL_DIR when
// set). --connection picks the defender connection whose tables are
// unqualified (default: the first one); every other defender connection
// is a schema named after it. --output is table, csv, json or jsonl
// (default: table on a terminal, csv otherwise).
//
// The SQL dialect is SQLite's. Timestamps are UTC text such as
// '2026-11-20 12:00:00.000000', so datetime('now', '-1 day') compares
// with them; JSON columns are JSON text for json_extract(). Plugin logs go
// to standard error at STEAMPIPE_LOG_LEVEL (default ERROR).
//
// Rows are printed as they arrive; the table format first holds up to
// 1,000 rows to size its columns. Unless GOMEMLIMIT is set, the Go
// runtime's soft memory limit is 100 MiB, so that a long result is
// streamed in steady memory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"golang.org/x/term"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/spc"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab/sqlout"
)

// memoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT
// sets one: the plugin's tables take about 45 MiB of heap, and without
// a limit the garbage collector lets the heap double that before
// collecting.
const memoryLimit = 100 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the parsed command line.
type options struct {
	config, connection string
	format             sqlout.Format
	statement          string
	explain            bool
}

func parseArgs(args []string, stdout io.Writer, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("defender-sql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.config, "config", "", "a .spc file or a directory of them (default ~/.steampipe/config/defender.spc)")
	fs.StringVar(&o.connection, "connection", "", "the defender connection whose tables are unqualified (default: the first)")
	output := fs.String("output", "", "table, csv, json or jsonl (default: table on a terminal, else csv)")
	fs.BoolVar(&o.explain, "explain", false, "print the KQL and Timespan each scan would send, and send nothing")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: defender-sql [--config PATH] [--connection NAME] [--output FORMAT] [--explain] [STATEMENT]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		for i, a := range fs.Args() {
			if i > 0 {
				o.statement += " "
			}
			o.statement += a
		}
	}
	if *output == "" {
		*output = string(sqlout.CSV)
		if isTerminal(stdout) {
			*output = string(sqlout.Table)
		}
	}
	f, err := sqlout.ParseFormat(*output)
	if err != nil {
		return nil, err
	}
	o.format = f
	if o.config == "" {
		home, _ := os.UserHomeDir()
		o.config = filepath.Join(spc.Dir(os.Getenv, home), "defender.spc")
	}
	return o, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, stdout, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "defender-sql:", err)
		return 2
	}
	if os.Getenv("STEAMPIPE_LOG_LEVEL") == "" {
		os.Setenv("STEAMPIPE_LOG_LEVEL", "ERROR")
	}
	opts, err := bridgeOptions(o.config, o.connection)
	if err != nil {
		fmt.Fprintln(stderr, "defender-sql:", err)
		return 1
	}
	db, err := sqlvtab.Open(context.Background(), opts)
	if err != nil {
		fmt.Fprintln(stderr, "defender-sql:", err)
		return 1
	}
	defer db.Close()
	for name, msg := range db.Failed() {
		fmt.Fprintf(stderr, "defender-sql: connection %s left out: %s\n", name, msg)
	}
	sh := &shell{db: db, format: o.format, out: stdout, errOut: stderr, explain: o.explain}
	switch {
	case o.statement != "":
		if err := sh.exec(o.statement); err != nil {
			return 1
		}
		return 0
	case isTerminal(stdin):
		sh.interactive(stdin)
		return 0
	}
	if err := sh.script(stdin); err != nil {
		return 1
	}
	return 0
}

// bridgeOptions reads the defender connections from the config path.
func bridgeOptions(path, connection string) (sqlvtab.Options, error) {
	files := []string{path}
	if st, err := os.Stat(path); err != nil {
		return sqlvtab.Options{}, fmt.Errorf("config %s: %w", path, err)
	} else if st.IsDir() {
		if files, err = spc.Glob(path); err != nil {
			return sqlvtab.Options{}, err
		}
	}
	all, err := spc.Load(files...)
	if err != nil {
		return sqlvtab.Options{}, err
	}
	opts := sqlvtab.Options{PluginFunc: defender.Plugin, PluginName: "defender", Filters: defender.FilterOperators}
	for _, c := range all {
		if c.IsDefender() && c.Type != "aggregator" {
			opts.Connections = append(opts.Connections, sqlvtab.Connection{Name: c.Name, Config: c.Body})
		}
	}
	if connection != "" {
		c, err := spc.Find(all, connection)
		if err != nil {
			return opts, err
		}
		if c.Type == "aggregator" {
			return opts, fmt.Errorf("connection %s is an aggregator, which defender-sql does not support; name one of its members", connection)
		}
		opts.Default = c.Name
	}
	if len(opts.Connections) == 0 {
		return opts, fmt.Errorf("no defender connections in %s", path)
	}
	return opts, nil
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
