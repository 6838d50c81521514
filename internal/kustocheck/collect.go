package kustocheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim"
)

// maxListed is how many failing queries Verify spells out.
const maxListed = 40

// Collector gathers the distinct queries of a test package, from any
// goroutine, for one Verify at the end. A nil *Collector drops what it is
// given, so a package can switch collection off (while fuzzing, say).
type Collector struct {
	mu   sync.Mutex
	seen map[string]bool
	qs   []Query
}

// Add records q unless the same text with the same tables was recorded
// before. An empty KQL text is ignored.
func (c *Collector) Add(q Query) {
	if c == nil || q.KQL == "" {
		return
	}
	key := q.KQL
	if len(q.Tables) > 0 {
		t, _ := json.Marshal(q.Tables)
		key += "\x00" + string(t)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[key] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[key] = true
	c.qs = append(c.qs, q)
}

// AddCalls records the queries of a simulator's hunting calls. A call the
// simulator answered 400 without an injected fault is left out: that is
// Defender refusing the query, which tests ask for on purpose with
// invalid KQL of their own (through defender_hunting_query), and KQL of
// the plugin's that the simulator refuses fails its own test.
func (c *Collector) AddCalls(calls []sim.Call) {
	for _, call := range calls {
		if call.Status == http.StatusBadRequest && call.Fault == "" {
			continue
		}
		c.Add(Query{KQL: call.Query})
	}
}

// Verify checks every query collected in one run of the parser and returns
// an error listing each query that has error diagnostics, with them. It
// writes one summary line to w. When the parser is not installed, Verify
// returns an error under CI (the environment has CI=true) and otherwise
// writes a notice naming the fix to w and returns nil.
func (c *Collector) Verify(w io.Writer) error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	qs := append([]Query(nil), c.qs...)
	c.mu.Unlock()
	if len(qs) == 0 {
		return nil
	}
	start := time.Now()
	diags, err := Check(qs)
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		fmt.Fprintf(w, "skipped the Kusto parser check of %d queries: %v\n", len(qs), err)
		return nil
	}
	if err != nil {
		return err
	}
	var b strings.Builder
	failed := 0
	for i, ds := range diags {
		if len(ds) == 0 {
			continue
		}
		failed++
		if failed > maxListed {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", qs[i].KQL)
		for _, d := range ds {
			fmt.Fprintf(&b, "    %s\n", d)
		}
	}
	fmt.Fprintf(w, "kustocheck: %d distinct queries checked with the Kusto parser in %s, %d with errors\n",
		len(qs), time.Since(start).Round(time.Millisecond), failed)
	if failed == 0 {
		return nil
	}
	if failed > maxListed {
		fmt.Fprintf(&b, "\n… and %d more\n", failed-maxListed)
	}
	return fmt.Errorf("kustocheck: the Kusto parser rejects %d of %d queries:\n%s", failed, len(qs), b.String())
}
