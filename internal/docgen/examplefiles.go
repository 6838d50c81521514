package docgen

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// exampleFiles holds the hand-written examples, one file per example, so
// that a person can open and run them: examples/<table>/<NN>-<slug>.sql is
// the Postgres query, headed by "-- title: …", "-- purpose: …" and,
// optionally, "-- expect: none" comment lines; a sibling
// <NN>-<slug>.sqlite.sql is its SQLite form where that is not a
// mechanical translation (see Example.SQLiteSQL).
//
//go:embed examples
var exampleFiles embed.FS

// handExamples are the hand-written examples by SQL table name, in file
// name order.
var handExamples = mustLoadExamples(exampleFiles)

func mustLoadExamples(fsys fs.FS) map[string][]Example {
	m, err := loadExamples(fsys)
	if err != nil {
		panic("docgen: " + err.Error())
	}
	return m
}

// loadExamples reads every examples/<table>/*.sql file of fsys.
func loadExamples(fsys fs.FS) (map[string][]Example, error) {
	files, err := fs.Glob(fsys, "examples/*/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := map[string][]Example{}
	for _, f := range files {
		if strings.HasSuffix(f, ".sqlite.sql") {
			continue
		}
		e, err := readExample(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		table := path.Base(path.Dir(f))
		out[table] = append(out[table], e)
	}
	return out, nil
}

// readExample parses one example file and its SQLite sibling, if any.
func readExample(fsys fs.FS, name string) (Example, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Example{}, err
	}
	var e Example
	rest := string(b)
	for {
		line, after, _ := strings.Cut(rest, "\n")
		v, ok := strings.CutPrefix(line, "-- ")
		if !ok {
			break
		}
		key, val, ok := strings.Cut(v, ": ")
		switch {
		case ok && key == "title":
			e.Title = val
		case ok && key == "purpose":
			e.Purpose = val
		case ok && key == "expect" && val == "none":
			e.ExpectNone = true
		default:
			return Example{}, fmt.Errorf("unknown header line %q", line)
		}
		rest = after
	}
	e.SQL = strings.TrimRight(rest, "\n")
	if e.Title == "" || e.Purpose == "" || e.SQL == "" {
		return Example{}, fmt.Errorf("an example needs a title, a purpose and SQL")
	}
	lite, err := fs.ReadFile(fsys, strings.TrimSuffix(name, ".sql")+".sqlite.sql")
	switch {
	case err == nil:
		e.SQLite = strings.TrimRight(string(lite), "\n")
	case !errors.Is(err, fs.ErrNotExist):
		return Example{}, err
	}
	return e, nil
}
