package sim

import (
	"strconv"
	"strings"
)

// ConnectionConfig returns a ready-to-paste Steampipe connection block
// for the plugin that signs in with the demo app's secret and sends its
// queries to this simulator through the Graph API.
func (s *Server) ConnectionConfig(name string) string {
	attrs := [][2]string{
		{"plugin", "local/defender"},
		{"tenant_id", s.Tenant()},
		{"client_id", s.ClientID()},
		{"client_secret", s.ClientSecret()},
		{"authority_host", s.URL()},
		{"api_endpoint", s.URL()},
		{"api", "graph"},
	}
	var b strings.Builder
	b.WriteString("connection " + strconv.Quote(name) + " {\n")
	for _, kv := range attrs {
		b.WriteString("  " + kv[0] + strings.Repeat(" ", 15-len(kv[0])) + "= " + strconv.Quote(kv[1]) + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}
