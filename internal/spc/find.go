package spc

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Dir returns Steampipe's config directory: $STEAMPIPE_INSTALL_DIR/config
// when that variable is set, otherwise ~/.steampipe/config.
func Dir(getenv func(string) string, home string) string {
	if d := getenv("STEAMPIPE_INSTALL_DIR"); d != "" {
		return filepath.Join(d, "config")
	}
	return filepath.Join(home, ".steampipe", "config")
}

// Glob returns the *.spc files in dir, sorted by name. A missing directory
// yields no files and no error.
func Glob(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.spc"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

// IsDefender reports whether the connection uses this plugin: "defender",
// "local/defender" or any "<org>/defender", with or without an @version.
func (c Connection) IsDefender() bool {
	p := c.Plugin
	if i := strings.LastIndex(p, "@"); i >= 0 {
		p = p[:i]
	}
	return p == "defender" || strings.HasSuffix(p, "/defender")
}

// Members returns the connections an aggregator names, expanding wildcards
// against the connections of the same plugin, in the order of all.
func (c Connection) Members(all []Connection) []Connection {
	var out []Connection
	for _, m := range all {
		if m.Name == c.Name || m.Type == "aggregator" || m.Plugin != c.Plugin {
			continue
		}
		for _, pattern := range c.Connections {
			if ok, _ := path.Match(pattern, m.Name); ok {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// Find returns the connection called name. The error for a missing
// connection, or for one that belongs to another plugin, lists the
// defender connections that do exist.
func Find(conns []Connection, name string) (Connection, error) {
	for _, c := range conns {
		if c.Name != name {
			continue
		}
		if !c.IsDefender() {
			return Connection{}, fmt.Errorf("connection %q (%s:%d) uses plugin %q, not defender%s", name, c.File, c.Line, c.Plugin, available(conns))
		}
		return c, nil
	}
	return Connection{}, fmt.Errorf("no connection %q%s", name, available(conns))
}

func available(conns []Connection) string {
	var names []string
	for _, c := range conns {
		if c.IsDefender() {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return "; no defender connections were found"
	}
	return "; defender connections: " + strings.Join(names, ", ")
}
