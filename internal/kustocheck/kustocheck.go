// Package kustocheck parses and type-checks KQL with Microsoft's own Kusto
// parser, for tests: it runs tools/kustocheck/check.js under Node, which
// loads @kusto/language-service-next and analyses each query against a
// database of the advanced hunting tables (internal/schema/tables.json).
//
// Tests gather the KQL they render or send in a Collector and check it in
// one batch at the end of the package (TestMain), because starting the
// parser costs about a second.
package kustocheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Column is a column of an extra table.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // a KQL scalar type: string, long, int, real, datetime, bool, guid, dynamic, …
}

// Table is a table a query may name besides the advanced hunting tables,
// such as a unit test's table T. It replaces a hunting table of the same
// name.
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
}

// Query is one KQL text to check, with the extra tables it may name.
type Query struct {
	KQL    string
	Tables []Table
}

// Diagnostic is one error the Kusto parser reported on a query.
type Diagnostic struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	// Start and Length locate the error in UTF-16 code units; Text is the
	// part of the query they cover.
	Start  int    `json:"start"`
	Length int    `json:"length"`
	Text   string `json:"text"`
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s at %d (%q): %s", d.Code, d.Start, d.Text, d.Message)
}

// Fix is what to run when the parser is missing.
const Fix = "run `make kusto-deps` (npm ci --prefix tools/kustocheck), which needs Node.js and npm (Debian: apt-get install nodejs npm)"

// ErrUnavailable is returned, wrapped, when Node or the npm package is
// missing.
var ErrUnavailable = errors.New("kustocheck: the Kusto parser is not installed")

// timeout bounds one batch; the parser handles thousands of queries a
// second.
const timeout = 10 * time.Minute

// Check runs the parser once over queries and returns, for each query in
// order, its error diagnostics (none when it parses and type-checks).
func Check(queries []Query) ([][]Diagnostic, error) {
	if len(queries) == 0 {
		return nil, nil
	}
	script, err := scriptPath()
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: node not found: %s", ErrUnavailable, Fix)
	}
	bridge := filepath.Join(filepath.Dir(script), "node_modules", "@kusto", "language-service-next", "Kusto.Language.Bridge.js")
	if _, err := os.Stat(bridge); err != nil {
		return nil, fmt.Errorf("%w: %s is missing: %s", ErrUnavailable, bridge, Fix)
	}

	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for i, q := range queries {
		line := struct {
			ID     string  `json:"id"`
			KQL    string  `json:"kql"`
			Tables []Table `json:"tables,omitempty"`
		}{strconv.Itoa(i), q.KQL, q.Tables}
		if err := enc.Encode(line); err != nil {
			return nil, fmt.Errorf("kustocheck: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = &in, &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("kustocheck: %s: %w\n%s", script, err, stderr.Bytes())
	}
	return decode(&out, len(queries))
}

// decode reads the checker's answer lines back into query order.
func decode(out *bytes.Buffer, n int) ([][]Diagnostic, error) {
	res := make([][]Diagnostic, n)
	seen := 0
	sc := bufio.NewScanner(out)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var line struct {
			ID     string       `json:"id"`
			Errors []Diagnostic `json:"errors"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, fmt.Errorf("kustocheck: bad answer line %q: %w", sc.Text(), err)
		}
		i, err := strconv.Atoi(line.ID)
		if err != nil || i < 0 || i >= n {
			return nil, fmt.Errorf("kustocheck: answer for unknown query %q", line.ID)
		}
		res[i] = line.Errors
		seen++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("kustocheck: %w", err)
	}
	if seen != n {
		return nil, fmt.Errorf("kustocheck: %d answers for %d queries", seen, n)
	}
	return res, nil
}

// scriptPath finds tools/kustocheck/check.js at the root of the module
// that holds the working directory (a test's package directory).
func scriptPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("kustocheck: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "tools", "kustocheck", "check.js"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("kustocheck: no go.mod above the working directory")
		}
		dir = parent
	}
}
