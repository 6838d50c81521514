package schema

import (
	"strings"
	"unicode"
)

// wordFixes keeps mixed-case words whole, so IPv4 becomes ipv4 and OAuth
// becomes oauth rather than i_pv4 and o_auth.
var wordFixes = strings.NewReplacer("OAuth", "Oauth", "IPv4", "Ipv4", "IPv6", "Ipv6")

// SnakeCase turns a Defender PascalCase name into snake_case, keeping
// acronyms together: RemoteIP → remote_ip, IPAddress → ip_address,
// InitiatingProcessSHA256 → initiating_process_sha256.
func SnakeCase(s string) string {
	r := []rune(wordFixes.Replace(s))
	var b strings.Builder
	for i, c := range r {
		if i > 0 && unicode.IsUpper(c) {
			prev := r[i-1]
			nextLower := i+1 < len(r) && unicode.IsLower(r[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}
