package defender

import (
	"context"
	"errors"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/hunting"
)

// Call is one request a scan sent to Defender or Microsoft Graph, as the
// defender_query_log table lists it, or one it would have sent under
// Explain.
type Call struct {
	Connection string
	Table      string
	API        string // "hunting" or "graph_security"
	KQL        string // the hunting query; "" for Graph
	Timespan   string // the hunting Timespan; "" when none was sent
	URL        string // the Graph request URL; "" for hunting
	Started    time.Time
	// Status is "ok", "stopped" (the reader had enough rows), "cancelled",
	// "failed" or, under Explain, "not sent".
	Status     string
	HTTPStatus int // the last response's status; 0 when none came
	Error      string
	Rows       int
	Bytes      int64 // response bytes read; 0 for Graph
	Duration   time.Duration
	Retries    int
	Throttled  time.Duration // time spent waiting after 429 responses
}

// callHook is what a context carries for WatchCalls and Explain.
type callHook struct{ watch func(Call) }

type callHookKey struct{}

// WatchCalls returns a context under which every call a scan makes is
// also passed to watch, once done. For a caller running the plugin
// in-process (defender-sql's ".kql on"); watch must not block.
func WatchCalls(ctx context.Context, watch func(Call)) context.Context {
	return context.WithValue(ctx, callHookKey{}, &callHook{watch: watch})
}

// Explain returns a context under which scans send nothing: every
// request a scan would send goes to watch instead, with Status "not
// sent", and is answered with no rows. Scans that the SQL engine would
// only start for the rows of another scan therefore do not run.
func Explain(ctx context.Context, watch func(Call)) context.Context {
	ctx = hunting.WithDryRun(graphsec.WithDryRun(ctx))
	return WatchCalls(ctx, watch)
}

type tableKey struct{}

// withTable names the table a scan reads, for the calls it makes.
func withTable(ctx context.Context, table string) context.Context {
	return context.WithValue(ctx, tableKey{}, table)
}

// record logs a finished call in the connection's query log, and passes
// it to a watcher; a call not sent (Explain) only goes to the watcher.
func record(ctx context.Context, c Call, dryRun bool) {
	c.Table, _ = ctx.Value(tableKey{}).(string)
	if !dryRun {
		queryLogFor(c.Connection).add(c)
	}
	if h, ok := ctx.Value(callHookKey{}).(*callHook); ok {
		h.watch(c)
	}
}

// callStatus is the Status of a call that ended with err.
func callStatus(err error, stopped, dryRun bool) string {
	switch {
	case dryRun:
		return "not sent"
	case stopped:
		return "stopped"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case err != nil:
		return "failed"
	}
	return "ok"
}

// errText is an error's message, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// observeHunting is the hunting client's Observe hook for a connection.
func observeHunting(connection string) func(context.Context, hunting.Call) {
	return func(ctx context.Context, h hunting.Call) {
		record(ctx, Call{Connection: connection, API: "hunting", KQL: h.KQL, Timespan: h.Timespan,
			Started: h.Started, Status: callStatus(h.Err, h.Stopped, h.DryRun), HTTPStatus: h.Status,
			Error: errText(h.Err), Rows: h.Rows, Bytes: h.Bytes, Duration: h.Duration, Retries: h.Retries,
			Throttled: h.Throttled}, h.DryRun)
	}
}

// observeGraph is the Graph security client's Observe hook for a
// connection.
func observeGraph(connection string) func(context.Context, graphsec.Call) {
	return func(ctx context.Context, g graphsec.Call) {
		record(ctx, Call{Connection: connection, API: "graph_security", URL: g.URL,
			Started: g.Started, Status: callStatus(g.Err, g.Stopped, g.DryRun), HTTPStatus: g.Status,
			Error: errText(g.Err), Rows: g.Items, Duration: g.Duration, Retries: g.Retries,
			Throttled: g.Throttled}, g.DryRun)
	}
}
