package defender

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
)

// TestClientCacheKeyCoversEveryField sets each Config field in turn, found
// by reflection so that a field added later is covered too, and checks
// that the connection gets a new client while the old one's idle
// connections are closed; an unchanged config keeps its client.
func TestClientCacheKeyCoversEveryField(t *testing.T) {
	closed := 0
	cc := &clientCache{m: map[string]cachedClient{}}
	built := 0
	build := func() (*client, error) {
		built++
		return testClient(t, &closed), nil
	}
	var cfg Config
	prev, err := cc.get("c", cfg, build)
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(&cfg).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		name := v.Type().Field(i).Name
		switch f.Type() {
		case reflect.TypeFor[*string]():
			s := "value-of-" + name
			f.Set(reflect.ValueOf(&s))
		case reflect.TypeFor[*bool]():
			b := false // false differs from unset
			f.Set(reflect.ValueOf(&b))
		default:
			t.Fatalf("field %s has type %s, which this test does not know how to change", name, f.Type())
		}
		next, err := cc.get("c", cfg, build)
		if err != nil {
			t.Fatal(err)
		}
		if next == prev {
			t.Errorf("changing %s kept the old client", name)
		}
		same, _ := cc.get("c", cfg, build)
		if same != next {
			t.Errorf("after changing %s, an unchanged config built another client", name)
		}
		prev = next
	}
	if want := v.NumField() + 1; built != want {
		t.Errorf("built %d clients, want %d", built, want)
	}
	if want := 2 * v.NumField(); closed != want {
		t.Errorf("closed %d transports, want %d (two per replaced client)", closed, want)
	}
	if len(cc.m) != 1 {
		t.Errorf("cache holds %d clients for one connection", len(cc.m))
	}
}

// testClient is a client whose transports count CloseIdleConnections.
func testClient(t *testing.T, closed *int) *client {
	t.Helper()
	const endpoint = "https://defender.invalid"
	token := func(_ context.Context, _ bool) (string, error) { return "", nil }
	hc, err := hunting.New(hunting.Config{API: hunting.Graph, Endpoint: endpoint, Token: token,
		HTTPClient: &http.Client{Transport: countingTransport{closed}}})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := graphsec.New(graphsec.Config{Endpoint: endpoint, Token: token,
		HTTPClient: &http.Client{Transport: countingTransport{closed}}})
	if err != nil {
		t.Fatal(err)
	}
	return &client{hunting: hc, graph: gc}
}

// countingTransport counts CloseIdleConnections calls.
type countingTransport struct{ closed *int }

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return http.DefaultTransport.RoundTrip(r)
}

func (c countingTransport) CloseIdleConnections() { *c.closed++ }
