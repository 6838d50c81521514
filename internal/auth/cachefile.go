package auth

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
)

// DefaultTokenCachePath is where a connection's delegated sign-in is kept:
// ~/.steampipe/internal/defender/<connection>.tokencache.json.
func DefaultTokenCachePath(home, connection string) string {
	return filepath.Join(home, ".steampipe", "internal", "defender", unsafeName.ReplaceAllString(connection, "_")+".tokencache.json")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]|^\.+`)

// fileCache persists MSAL's token cache in one file. The file holds refresh
// tokens in clear text, so it is written with mode 0600 in a 0700
// directory, through a temporary file and a rename so that a reader never
// sees half a cache. Processes do not lock each other: the last writer wins.
type fileCache struct{ path string }

// Replace loads the file into MSAL's cache. A missing or empty file loads
// an empty cache, so an account deleted on disk disappears from memory.
func (f fileCache) Replace(_ context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(b) == 0) {
		b, err = []byte("{}"), nil
	}
	if err != nil {
		return err
	}
	return u.Unmarshal(b)
}

// Export writes MSAL's cache to the file atomically.
func (f fileCache) Export(_ context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	return writeAtomic(f.path, b)
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tokencache-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
