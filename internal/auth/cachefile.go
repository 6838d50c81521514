package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/gofrs/flock"
)

// DefaultTokenCachePath is where a connection's delegated sign-in is kept:
// ~/.steampipe/internal/defender/<connection>.tokencache.json.
func DefaultTokenCachePath(home, connection string) string {
	return filepath.Join(home, ".steampipe", "internal", "defender", unsafeName.ReplaceAllString(connection, "_")+".tokencache.json")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]|^\.+`)

// lockTimeout bounds the wait for another process's hold on a token cache.
// A hold lasts one read or one write of the file, and the OS releases it
// when its process exits, so only a hung process makes the wait run out.
const lockTimeout = 15 * time.Second

// fileCache persists MSAL's token cache in one file. The file holds refresh
// tokens in clear text, so it is written with mode 0600 in a 0700
// directory, through a temporary file and a rename so that a reader never
// sees half a cache.
//
// Processes sharing the file (the login command, plugin processes, several
// connections with one token_cache_path) take an OS file lock on
// <path>.lock: shared to read, exclusive to write. MSAL writes the whole
// cache it holds in memory, which may predate another process's write, so
// Export merges under the exclusive lock: it re-reads the file and applies
// only this process's changes since it last read or wrote it (see
// mergeCache).
type fileCache struct {
	path string
	lock *flock.Flock

	mu   sync.Mutex // serialises this client's file operations
	base []byte     // the file as this client last read or wrote it
}

func newFileCache(path string) *fileCache {
	return &fileCache{path: path, lock: flock.New(path+".lock", flock.SetPermissions(0o600))}
}

// Replace loads the file into MSAL's cache. A missing or empty file loads
// an empty cache, so an account deleted on disk disappears from memory.
func (f *fileCache) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b []byte
	if _, err := os.Stat(filepath.Dir(f.path)); err == nil {
		// Without the directory there is no file and nothing to lock.
		unlock, err := f.hold(ctx, f.lock.TryRLockContext)
		if err != nil {
			return err
		}
		b, err = f.read()
		unlock()
		if err != nil {
			return err
		}
	}
	if len(b) == 0 {
		b = []byte("{}")
	}
	if err := u.Unmarshal(b); err != nil {
		return err
	}
	f.base = b
	return nil
}

// Export writes MSAL's cache to the file, merged with what other processes
// wrote since this client last read it.
func (f *fileCache) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	mine, err := m.Marshal()
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return err
	}
	unlock, err := f.hold(ctx, f.lock.TryLockContext)
	if err != nil {
		return err
	}
	defer unlock()
	disk, err := f.read()
	if err != nil {
		return err
	}
	merged := mergeCache(f.base, mine, disk)
	if err := writeAtomic(f.path, merged); err != nil {
		return err
	}
	f.base = merged
	return nil
}

// hold takes the lock with try (shared or exclusive), waiting at most
// lockTimeout, and returns the function that releases it.
func (f *fileCache) hold(ctx context.Context, try func(context.Context, time.Duration) (bool, error)) (func(), error) {
	ctx, cancel := context.WithTimeout(ctx, lockTimeout)
	defer cancel()
	if ok, err := try(ctx, 10*time.Millisecond); !ok {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("another process held it for %s", lockTimeout)
		}
		return nil, fmt.Errorf("locking token cache %s: %w", f.path, err)
	}
	// An unlock error leaves the descriptor to be closed with the process,
	// which releases the lock as well.
	return func() { _ = f.lock.Unlock() }, nil
}

// read returns the file's content; nothing when it does not exist.
func (f *fileCache) read() ([]byte, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// mergeCache applies the changes from base to mine onto disk. MSAL's
// cache is a JSON object of sections (AccessToken, RefreshToken, IdToken,
// Account, AppMetadata), each an object of entries by key. An entry that
// mine added or changed relative to base is taken from mine, so of two
// writers of one entry the later wins; an entry that mine dropped from
// base is deleted; every other entry is kept as disk has it, which keeps
// other processes' sign-ins and refreshes. Top-level values that are not
// objects follow the same rule. When disk is not a JSON object (missing
// or corrupt) or mine is not, mine is written as it is.
func mergeCache(base, mine, disk []byte) []byte {
	var b, m, d map[string]json.RawMessage
	if json.Unmarshal(mine, &m) != nil || json.Unmarshal(disk, &d) != nil || m == nil || d == nil {
		return mine
	}
	_ = json.Unmarshal(base, &b) // nil base: everything in mine is new
	out := map[string]json.RawMessage{}
	for k := range keys(b, m, d) {
		bs, bok := sectionOf(b, k)
		ms, mok := sectionOf(m, k)
		ds, dok := sectionOf(d, k)
		if bok && mok && dok {
			merged := map[string]json.RawMessage{}
			for e := range keys(bs, ms, ds) {
				if v, ok := pick(bs, ms, ds, e); ok {
					merged[e] = v
				}
			}
			if _, inMine := m[k]; inMine || len(merged) > 0 {
				out[k], _ = json.Marshal(merged)
			}
			continue
		}
		if v, ok := pick(b, m, d, k); ok {
			out[k] = v
		}
	}
	res, err := json.Marshal(out)
	if err != nil {
		return mine
	}
	return res
}

// keys returns the union of the maps' keys.
func keys(ms ...map[string]json.RawMessage) map[string]bool {
	all := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			all[k] = true
		}
	}
	return all
}

// sectionOf decodes m[k] as an object of entries; a missing key is an
// empty section. ok is false when m[k] is present but not an object.
func sectionOf(m map[string]json.RawMessage, k string) (map[string]json.RawMessage, bool) {
	v, present := m[k]
	if !present {
		return nil, true
	}
	var s map[string]json.RawMessage
	if json.Unmarshal(v, &s) != nil || s == nil {
		return nil, false
	}
	return s, true
}

// pick is the three-way rule for one key: mine's value where mine changed
// it, nothing where mine removed it, otherwise disk's.
func pick(base, mine, disk map[string]json.RawMessage, k string) (json.RawMessage, bool) {
	bv, inBase := base[k]
	mv, inMine := mine[k]
	switch {
	case inMine && (!inBase || !sameJSON(bv, mv)):
		return mv, true
	case inBase && !inMine:
		return nil, false
	}
	dv, ok := disk[k]
	return dv, ok
}

func sameJSON(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
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
