package apiclient

import (
	"fmt"
	"net/url"
	"strings"
)

// Endpoint parses a configured API root without its trailing slashes. It
// must be an absolute http or https URL; the error names pkg, the client
// that was given it.
func Endpoint(pkg, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("%s: endpoint %q is not an http(s) URL", pkg, raw)
	}
	return u, nil
}
