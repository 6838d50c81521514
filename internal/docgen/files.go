package docgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// Files returns every table document keyed by file name
// (<sql_name>.md), including the current-state tables' and the
// hand-written ones for defender_hunting_query and the Graph security
// tables.
func Files() (map[string][]byte, error) {
	hq, err := huntingQueryDoc()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{huntingQueryTable + ".md": hq}
	sec, err := securityFiles()
	if err != nil {
		return nil, err
	}
	for name, b := range sec {
		out[name] = b
	}
	for _, c := range schema.CurrentTables() {
		b, err := RenderCurrent(c)
		if err != nil {
			return nil, err
		}
		out[c.Name+".md"] = b
	}
	for _, t := range schema.Tables() {
		b, err := RenderTable(t)
		if err != nil {
			return nil, err
		}
		out[t.SQLName()+".md"] = b
	}
	return out, nil
}

// Write renders every document into dir, rewriting files whose content
// changed and removing Markdown files that no table produces any more.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, b) {
			continue
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	return nil
}

// Check compares the documents in dir with freshly generated ones and
// describes every missing, stale or unexpected file.
func Check(dir string) ([]string, error) {
	files, err := Files()
	if err != nil {
		return nil, err
	}
	var problems []string
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case err != nil:
			problems = append(problems, name+": missing")
		case !bytes.Equal(got, want):
			problems = append(problems, name+": out of date")
		}
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	for _, p := range old {
		if _, ok := files[filepath.Base(p)]; !ok {
			problems = append(problems, filepath.Base(p)+": no table produces it")
		}
	}
	sort.Strings(problems)
	return problems, nil
}
