package entra

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
)

// Parallel token requests, verifications and log reads must not race
// (run with -race) and must all succeed.
func TestConcurrentTokenRequests(t *testing.T) {
	f := newFixture(t, nil)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for range n {
		wg.Go(func() {
			resp, err := f.client.PostForm(f.authority+"/oauth2/v2.0/token", url.Values{
				"grant_type": {"client_credentials"}, "client_id": {secretApp},
				"client_secret": {goodSecret}, "scope": {graph + "/.default"}})
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs <- resp.Status
				return
			}
			body := decodeBody(t, resp.Body)
			if _, err := f.e.Verify(body["access_token"].(string)); err != nil {
				errs <- err.Error()
			}
			_ = f.e.Calls()
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := f.count(func(c Call) bool { return c.Status == http.StatusOK }); got != n {
		t.Errorf("%d successful calls logged, want %d", got, n)
	}
}
