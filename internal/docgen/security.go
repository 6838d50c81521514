package docgen

import "embed"

// securityDocs are the hand-written documents of the tables over
// Microsoft Graph's security API, which have no schema declaration.
//
//go:embed securitydocs/*.md
var securityDocs embed.FS

// securityFiles returns those documents keyed by file name.
func securityFiles() (map[string][]byte, error) {
	entries, err := securityDocs.ReadDir("securitydocs")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := securityDocs.ReadFile("securitydocs/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[e.Name()] = b
	}
	return out, nil
}
