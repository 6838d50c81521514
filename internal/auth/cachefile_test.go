package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

func TestMergeCache(t *testing.T) {
	cases := []struct {
		name, base, mine, disk, want string
	}{
		{"another writer's entry is kept",
			`{"RefreshToken":{}}`, `{"RefreshToken":{"a":{"s":"1"}}}`, `{"RefreshToken":{"b":{"s":"2"}}}`,
			`{"RefreshToken":{"a":{"s":"1"},"b":{"s":"2"}}}`},
		{"a changed entry is mine, an unchanged one is disk's",
			`{"RefreshToken":{"a":{"s":"1"},"b":{"s":"1"}}}`, `{"RefreshToken":{"a":{"s":"2"},"b":{"s":"1"}}}`, `{"RefreshToken":{"a":{"s":"3"},"b":{"s":"3"}}}`,
			`{"RefreshToken":{"a":{"s":"2"},"b":{"s":"3"}}}`},
		{"an entry removed here stays removed",
			`{"Account":{"a":{},"b":{}}}`, `{"Account":{"b":{}}}`, `{"Account":{"a":{},"b":{},"c":{}}}`,
			`{"Account":{"b":{},"c":{}}}`},
		{"an entry removed elsewhere and untouched here stays removed",
			`{"Account":{"a":{},"b":{}}}`, `{"Account":{"a":{},"b":{}}}`, `{"Account":{"b":{}}}`,
			`{"Account":{"b":{}}}`},
		{"sections only on disk are kept",
			`{}`, `{"AccessToken":{"a":{}}}`, `{"IdToken":{"b":{}}}`,
			`{"AccessToken":{"a":{}},"IdToken":{"b":{}}}`},
		{"a missing file takes mine", `{}`, `{"AccessToken":{"a":{}}}`, ``, `{"AccessToken":{"a":{}}}`},
		{"a corrupt file takes mine", `{}`, `{"AccessToken":{"a":{}}}`, `{"AccessTo`, `{"AccessToken":{"a":{}}}`},
		{"no base: mine is all new", ``, `{"x":1,"A":{"a":{}}}`, `{"x":2,"A":{"b":{}}}`, `{"A":{"a":{},"b":{}},"x":1}`},
	}
	for _, c := range cases {
		got := mergeCache([]byte(c.base), []byte(c.mine), []byte(c.disk))
		if string(got) != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

// TestFileCacheConcurrentWriters runs writers that each act as a process
// with its own cache object and lock descriptor, as MSAL does: read the
// file, change the cache in memory, write it back. Each adds entries,
// updates one of its own and removes one; none may be lost or revived.
func TestFileCacheConcurrentWriters(t *testing.T) {
	const writers, rounds = 6, 25
	path := filepath.Join(t.TempDir(), "tokens", "shared.json")
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			f := newFileCache(path)
			for r := range rounds {
				if err := writerRound(ctx, f, w, r); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var doc map[string]map[string]map[string]any
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("cache is not valid JSON: %v\n%s", err, b)
	}
	if got, want := len(doc["RefreshToken"]), writers*(rounds-1); got != want {
		t.Errorf("%d refresh tokens, want %d", got, want)
	}
	for w := range writers {
		for r := range rounds {
			_, ok := doc["RefreshToken"][fmt.Sprintf("%d-%d", w, r)]
			if want := r != 0; ok != want {
				t.Errorf("refresh token %d-%d present = %t, want %t", w, r, ok, want)
			}
		}
		if got := doc["Account"][fmt.Sprint(w)]["round"]; got != float64(rounds-1) {
			t.Errorf("account %d round = %v, want %d", w, got, rounds-1)
		}
	}
	assertMode(t, path, 0o600)
}

// writerRound is writer w's round r: it adds refresh token w-r, records r
// on its account and, in round 1, removes its refresh token w-0.
func writerRound(ctx context.Context, f *fileCache, w, r int) error {
	m := &memCache{}
	if err := f.Replace(ctx, m, struct{ PartitionKey string }{}); err != nil {
		return err
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(m.data, &doc); err != nil {
		return fmt.Errorf("writer %d read a corrupt cache: %v", w, err)
	}
	for _, s := range []string{"RefreshToken", "Account"} {
		if doc[s] == nil {
			doc[s] = map[string]any{}
		}
	}
	doc["RefreshToken"][fmt.Sprintf("%d-%d", w, r)] = map[string]any{"secret": fmt.Sprint(w, r)}
	doc["Account"][fmt.Sprint(w)] = map[string]any{"round": r}
	if r == 1 {
		delete(doc["RefreshToken"], fmt.Sprintf("%d-0", w))
	}
	// Let other writers in between the read and the write.
	time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
	m.data, _ = json.Marshal(doc)
	return f.Export(ctx, m, struct{ PartitionKey string }{})
}

// TestFileCacheWaitsForLock holds the lock as another process would and
// checks that a write waits for its release.
func TestFileCacheWaitsForLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	other := flock.New(path + ".lock")
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		m := &memCache{data: []byte(`{"RefreshToken":{"k":{}}}`)}
		done <- newFileCache(path).Export(context.Background(), m, struct{ PartitionKey string }{})
	}()
	select {
	case err := <-done:
		t.Fatalf("Export finished while another process held the lock: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the file was written while another process held the lock")
	}
	if err := other.Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
