// Command gendocs writes the table documents under docs/tables from the
// schema declarations and the examples in internal/docgen, and copies
// config/defender.spc into the configuration section of docs/index.md.
//
//	go run ./cmd/gendocs [-check]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/docgen"
)

func main() {
	tables := flag.String("out", "docs/tables", "directory of the table documents")
	index := flag.String("index", "docs/index.md", "plugin index document that embeds the configuration example")
	spc := flag.String("config", "config/defender.spc", "example connection configuration")
	check := flag.Bool("check", false, "only report documents that are missing or out of date")
	flag.Parse()
	if err := run(*tables, *index, *spc, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(tables, index, spc string, check bool) error {
	if !check {
		if err := docgen.Write(tables); err != nil {
			return err
		}
		_, err := docgen.RefreshIndex(index, spc, true)
		return err
	}
	problems, err := docgen.Check(tables)
	if err != nil {
		return err
	}
	changed, err := docgen.RefreshIndex(index, spc, false)
	if err != nil {
		return err
	}
	if changed {
		problems = append(problems, index+": configuration example differs from "+spc)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d documents need regenerating: run go run ./cmd/gendocs", len(problems))
	}
	return nil
}
