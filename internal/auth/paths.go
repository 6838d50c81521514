package auth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ExpandPaths expands a leading ~ (the home directory) and $VAR or ${VAR}
// in the path settings: certificate_path, token_cache_path and
// federated_token_file. Errors about a path quote both forms (see
// pathLabel).
func (c *Config) ExpandPaths(getenv func(string) string, home string) {
	for _, p := range []*string{&c.CertificatePath, &c.TokenCachePath, &c.FederatedTokenFile} {
		if *p == "" {
			continue
		}
		expanded := expandPath(*p, getenv, home)
		if expanded != *p {
			if c.written == nil {
				c.written = map[string]string{}
			}
			c.written[expanded] = *p
			*p = expanded
		}
	}
}

// expandPath expands $VAR, ${VAR} and then a leading "~" or "~/".
func expandPath(p string, getenv func(string) string, home string) string {
	p = os.Expand(p, getenv)
	if p == "~" {
		return home
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return filepath.Join(home, rest)
	}
	return p
}

// pathLabel quotes a path as written and, when it differs, as expanded.
func (c Config) pathLabel(p string) string {
	if w, ok := c.written[p]; ok {
		return fmt.Sprintf("%q (expanded to %q)", w, p)
	}
	return fmt.Sprintf("%q", p)
}
