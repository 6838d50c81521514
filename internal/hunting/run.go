package hunting

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// minSplit is the narrowest window that a too-large result is split into.
const minSplit = 2 * time.Second

// errDone ends a run once Limit rows were emitted.
var errDone = errors.New("limit reached")

// Run sends req, as several requests when needed, and calls emit for each
// row. Rows are complete: a response cut at RowCap is continued by keyset
// paging on the time column, and a result-size error splits the time
// window in two, each half run in the requested order (with OneCall
// neither happens: see Request). It stops after
// Limit rows, or when emit returns ErrStop; any other emit error is
// returned. Stats are returned even with an error.
func (c *Client) Run(ctx context.Context, req Request, emit func(Row) error) (Stats, error) {
	switch {
	case req.Render == nil:
		return Stats{}, errors.New("hunting: Request.Render is required")
	case emit == nil:
		return Stats{}, errors.New("hunting: emit is required")
	case req.TimeColumn != "" && !req.OneCall && req.Order != Asc && req.Order != Desc:
		return Stats{}, fmt.Errorf("hunting: a request on time column %s needs Order Asc or Desc", req.TimeColumn)
	}
	r := &runner{c: c, req: req, emit: emit, floor: c.now().Add(-retention)}
	if req.TimeColumn != "" && !req.OneCall {
		r.page = int64(min(c.cfg.FirstPage, c.cfg.RowCap))
	}
	err := r.run(ctx)
	if errors.Is(err, errDone) || errors.Is(err, ErrStop) {
		err = nil
	}
	return r.stats, err
}

// runner is the state of one Run.
type runner struct {
	c     *Client
	req   Request
	emit  func(Row) error
	stats Stats
	// floor is where the window starts when the query has no lower time
	// bound: Defender's default, 30 days before now, whatever the upper
	// bound, so that adding an upper bound never reaches older rows. It is
	// fixed once per run, so that a later page cannot reach further back
	// than the first (Defender returns older rows when they were kept in
	// Sentinel and the Timespan asks for them).
	floor time.Time
	// page is the take of the next request when more rows are wanted than
	// it: small at first, so that a reader who stops early (Postgres
	// applying a LIMIT that the FDW did not pass on) costs little, then
	// ten times larger after each full page, up to RowCap. Zero when the
	// table has no time column to page on.
	page int64
}

// span is the time range one request covers, with the floor filled in
// when the table has a time column.
func (r *runner) span(eff Slice) Slice {
	if eff.Lower == nil && r.req.TimeColumn != "" {
		eff.Lower = &Bound{Time: r.floor, Inclusive: true}
	}
	return eff
}

// run works through a stack of windows. A window that is split pushes its
// halves so that the one to run first, in the request's order, is on top.
func (r *runner) run(ctx context.Context) error {
	stack := []Slice{{}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		halves, err := r.window(ctx, s)
		if err != nil {
			return err
		}
		for i := len(halves) - 1; i >= 0; i-- {
			stack = append(stack, halves[i])
		}
	}
	return nil
}

// out emits one row and counts it towards Limit.
func (r *runner) out(row Row) error {
	if err := r.emit(row); err != nil {
		return err
	}
	r.stats.Rows++
	if r.req.Limit > 0 && r.stats.Rows >= r.req.Limit {
		return errDone
	}
	return nil
}

// window runs the request restricted to extra, page by page. When the
// result is too large it returns the two halves of the window in the order
// they must run; it returns nil when the window is done.
func (r *runner) window(ctx context.Context, extra Slice) ([]Slice, error) {
	c := r.c
	failures := 0
	for {
		eff := intersect(r.req.Window, extra)
		if r.span(eff).empty() {
			return nil, nil
		}
		var want int64 // rows still wanted; 0 for all
		if r.req.Limit > 0 {
			want = r.req.Limit - r.stats.Rows
		}
		// With a Limit the caller reads exactly that many rows (the FDW
		// passes a LIMIT only when Postgres needs no other rows), so one
		// call takes them; growing pages are for a reader that may stop
		// early.
		take, paged := want, false
		switch {
		case r.page > 0 && want == 0:
			take, paged = r.page, true
		case r.page > 0 && want > int64(c.cfg.RowCap):
			take, paged = int64(c.cfg.RowCap), true
		}
		kql, err := r.req.Render(extra, take)
		if err != nil {
			return nil, fmt.Errorf("hunting: rendering the query: %w", err)
		}
		cl := &call{kql: kql, wait: r.req.Wait, stats: &r.stats, failures: &failures}
		if c.cfg.API == Graph {
			span := eff
			if r.req.Latest {
				span = r.req.Window
			}
			cl.timespan = Timespan(r.span(span), c.now())
		}
		p := &pager{col: r.req.TimeColumn, order: r.req.Order, extra: extra, out: r.out}
		if r.req.OneCall {
			p.col = "" // rows come in the query's own order: emit them as they arrive
		}
		n, err := c.fetch(ctx, cl, p.add)
		full := paged && int64(n) >= take
		capped := n == c.cfg.RowCap && (take == 0 || take > int64(c.cfg.RowCap))
		var herr *Error
		switch {
		case err == nil && !full && !capped:
			return nil, p.flush()
		case err == nil && r.req.OneCall:
			return nil, c.capError(kql, r.req.OneCallHint)
		case err == nil && r.req.TimeColumn == "":
			return nil, c.capError(kql, "Add filters so that fewer rows match")
		case err == nil && p.emitted == 0 && r.page < int64(c.cfg.RowCap):
			// One group of equal times filled the page: ask again for more.
			extra = p.resume()
			r.grow()
		case err == nil && p.emitted == 0:
			return nil, c.capError(kql, fmt.Sprintf(
				"More than %d rows share one %s value (%s), so they cannot be paged; add filters",
				c.cfg.RowCap, r.req.TimeColumn, formatTime(p.groupTime)))
		case err == nil:
			extra = p.resume()
			failures = 0
			r.stats.Splits++
			r.grow()
			c.log.Debug("hunting result page was full, continuing", "rows", n, "from", formatTimeNano(p.groupTime))
		case !errors.As(err, &herr):
			return nil, err
		case herr.kind == kindTooLarge && r.req.OneCall:
			herr.hint = joinHint(herr.hint, r.req.OneCallHint)
			return nil, herr
		case herr.kind == kindTooLarge && r.req.Latest:
			herr.hint = joinHint(herr.hint, r.req.TooLargeHint)
			return nil, herr
		case herr.kind == kindTooLarge && r.req.TimeColumn != "":
			halves, err := r.bisect(eff, extra, herr)
			if err == nil {
				r.stats.Splits++
			}
			return halves, err
		case herr.kind == kindDecode:
			if r.req.TimeColumn == "" && p.emitted > 0 {
				herr.hint = joinHint(herr.hint, "The table has no time column, so the query cannot resume without repeating rows")
				return nil, herr
			}
			if r.req.OneCall && p.emitted > 0 {
				herr.hint = joinHint(herr.hint, "The rows are sorted by more than the time column, so the query cannot resume without repeating rows")
				return nil, herr
			}
			if p.emitted > 0 {
				failures = 0
			}
			extra = p.resume()
			if err := c.retry(ctx, cl, herr, 0); err != nil {
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

// grow makes the next page ten times larger, up to RowCap.
func (r *runner) grow() {
	r.page = min(r.page*10, int64(r.c.cfg.RowCap))
}

// bisect splits the effective window in two at a whole second, so that the
// bound renders exactly. Open ends stay open; the midpoint is taken
// between the floor (or the lower bound) and now (or the upper bound). The
// halves come back in the order they must run.
func (r *runner) bisect(eff, extra Slice, cause *Error) ([]Slice, error) {
	lo := r.span(eff).Lower.Time
	hi := r.c.now().UTC()
	if eff.Upper != nil {
		hi = eff.Upper.Time
	}
	if hi.Sub(lo) < minSplit {
		cause.hint = joinHint(cause.hint, fmt.Sprintf("Even the window %s to %s is too large", formatTimeNano(lo), formatTimeNano(hi)))
		return nil, cause
	}
	mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second) // > lo, as the window spans 2s or more
	lower, upper := extra, extra
	lower.Upper = &Bound{Time: mid}
	upper.Lower = &Bound{Time: mid, Inclusive: true}
	r.c.log.Info("hunting result too large, splitting the time window", "at", formatTime(mid))
	if r.req.Order == Desc {
		return []Slice{upper, lower}, nil
	}
	return []Slice{lower, upper}, nil
}

// capError reports a result that reached RowCap and cannot be completed.
func (c *Client) capError(kql, hint string) *Error {
	return &Error{API: c.cfg.API, Query: kql, summary: fmt.Sprintf("the result reached the %d-row cap and would be incomplete", c.cfg.RowCap), hint: hint}
}

func formatTimeNano(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
