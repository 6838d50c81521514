package sqlvtab_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sqlvtab"
)

// toyItem is a row of the toy plugin's only table.
type toyItem struct {
	N    int64
	Mode string
}

// toyCancelled is closed when a blocked toy scan sees its context end.
var (
	toyMu        sync.Mutex
	toyCancelled chan struct{}
)

// toyPlugin streams 20 rows. With mode = 'fail' the List call then fails;
// with mode = 'block' it streams one row and waits for cancellation.
func toyPlugin(context.Context) *plugin.Plugin {
	return &plugin.Plugin{
		Name:             "toy",
		DefaultTransform: transform.FromGo(),
		TableMap: map[string]*plugin.Table{"toy_item": {
			Name: "toy_item",
			List: &plugin.ListConfig{
				Hydrate:    listToy,
				KeyColumns: plugin.KeyColumnSlice{{Name: "mode", Require: plugin.Optional, Operators: []string{"="}}},
			},
			Columns: []*plugin.Column{
				{Name: "n", Type: proto.ColumnType_INT},
				{Name: "mode", Type: proto.ColumnType_STRING},
			},
		}},
	}
}

func listToy(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	mode := d.EqualsQualString("mode")
	if mode == "block" {
		d.StreamListItem(ctx, &toyItem{N: 1, Mode: mode})
		<-ctx.Done()
		toyMu.Lock()
		close(toyCancelled)
		toyMu.Unlock()
		return nil, ctx.Err()
	}
	for i := int64(1); i <= 20; i++ {
		d.StreamListItem(ctx, &toyItem{N: i, Mode: mode})
	}
	if mode == "fail" {
		// Give the SDK time to stream every row first, so the error comes
		// after them.
		time.Sleep(50 * time.Millisecond)
		return nil, errors.New("toy backend failed after 20 rows")
	}
	return nil, nil
}

func openToy(t *testing.T) *sqlvtab.DB {
	t.Helper()
	toy, err := sqlvtab.Open(context.Background(), sqlvtab.Options{
		PluginFunc:  toyPlugin,
		PluginName:  "toy",
		Connections: []sqlvtab.Connection{{Name: "toy"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { toy.Close() })
	return toy
}

// TestErrorAfterRows checks that an error the plugin raises after it has
// streamed rows fails the statement with the plugin's message, although
// SQLite reports errors from a cursor's Next without text.
func TestErrorAfterRows(t *testing.T) {
	toy := openToy(t)
	ctx := context.Background()
	_, rows, err := toy.QueryAll(ctx, "select n from toy_item")
	if err != nil || len(rows) != 20 {
		t.Fatalf("healthy scan: %d rows, %v", len(rows), err)
	}
	for _, q := range []string{"select n from toy_item where mode = 'fail'", "select count(*) from toy_item where mode = 'fail'"} {
		// An aggregate reads every row in the first step, inside Query.
		n := 0
		r, err := toy.Query(ctx, q)
		if err == nil {
			for r.Next() {
				n++
			}
			err = r.Err()
			r.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "toy backend failed after 20 rows") {
			t.Errorf("%s: after %d rows got error %v", q, n, err)
		}
	}
}

// TestCancel checks that closing the rows, or cancelling the statement's
// context, cancels the plugin's scan.
func TestCancel(t *testing.T) {
	toy := openToy(t)
	wait := func(what string) {
		t.Helper()
		toyMu.Lock()
		ch := toyCancelled
		toyMu.Unlock()
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not cancel the plugin's scan", what)
		}
	}

	toyCancelled = make(chan struct{})
	r, err := toy.Query(context.Background(), "select n from toy_item where mode = 'block'")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatalf("no first row: %v", r.Err())
	}
	r.Close()
	wait("Rows.Close")

	toyMu.Lock()
	toyCancelled = make(chan struct{})
	toyMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = toy.QueryAll(ctx, "select count(*) from toy_item where mode = 'block'")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the context's error", err)
	}
	wait("the context")
	t.Logf("returned after %v", time.Since(start))

	if _, err := toy.Query(context.Background(), "select 1"); err != nil {
		t.Errorf("the database is unusable after a cancelled statement: %v", err)
	}
}

// TestBusy checks that a second statement is refused while rows are open.
func TestBusy(t *testing.T) {
	toy := openToy(t)
	r, err := toy.Query(context.Background(), "select n from toy_item")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := toy.Query(context.Background(), "select 1"); !errors.Is(err, sqlvtab.ErrBusy) {
		t.Errorf("second statement: %v, want ErrBusy", err)
	}
	r.Close()
	if _, _, err := toy.QueryAll(context.Background(), "select 1"); err != nil {
		t.Error(err)
	}
}
