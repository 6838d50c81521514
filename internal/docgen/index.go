package docgen

import (
	"bytes"
	"fmt"
	"os"
)

// The markers around the copy of config/defender.spc in docs/index.md.
const (
	configBegin = "<!-- config/defender.spc begins -->\n"
	configEnd   = "<!-- config/defender.spc ends -->\n"
)

// EmbedConfig returns index with the text between the config markers
// replaced by spc in an HCL code block.
func EmbedConfig(index, spc []byte) ([]byte, error) {
	i := bytes.Index(index, []byte(configBegin))
	j := bytes.Index(index, []byte(configEnd))
	if i < 0 || j < i {
		return nil, fmt.Errorf("index has no %q ... %q section", configBegin, configEnd)
	}
	var b bytes.Buffer
	b.Write(index[:i+len(configBegin)])
	b.WriteString("\n```hcl\n")
	b.Write(bytes.TrimRight(spc, "\n"))
	b.WriteString("\n```\n\n")
	b.Write(index[j:])
	return b.Bytes(), nil
}

// RefreshIndex rewrites the configuration example in the index document at
// indexPath from the file at spcPath. It reports whether the file changed.
func RefreshIndex(indexPath, spcPath string, write bool) (changed bool, err error) {
	index, err := os.ReadFile(indexPath)
	if err != nil {
		return false, err
	}
	spc, err := os.ReadFile(spcPath)
	if err != nil {
		return false, err
	}
	fresh, err := EmbedConfig(index, spc)
	if err != nil {
		return false, fmt.Errorf("%s: %w", indexPath, err)
	}
	if bytes.Equal(fresh, index) {
		return false, nil
	}
	if write {
		err = os.WriteFile(indexPath, fresh, 0o644)
	}
	return true, err
}
