package hunting

import (
	"context"
	"errors"
	"fmt"
)

// RunKQL sends a user's own KQL as one request, without paging or
// splitting, and calls emit for each row. timespan goes to Graph as given
// ("" leaves the server default of 30 days); MDE has no Timespan, so a
// non-empty one is an error there. A result that reaches RowCap is an
// error, since Defender may have cut it. emit returning ErrStop ends the
// run without error.
func (c *Client) RunKQL(ctx context.Context, kql, timespan string, emit func(Row) error) (Stats, error) {
	var st Stats
	if c.cfg.API == MDE && timespan != "" {
		return st, errors.New("hunting: the MDE API takes no timespan; filter on the time column in the query instead")
	}
	failures := 0
	for {
		emitted := 0
		cl := &call{kql: kql, timespan: timespan, stats: &st, failures: &failures}
		n, err := c.fetch(ctx, cl, func(row Row) error {
			if err := emit(row); err != nil {
				return err
			}
			emitted++
			st.Rows++
			return nil
		})
		var herr *Error
		switch {
		case err == nil && n >= c.cfg.RowCap:
			return st, c.capError(kql, fmt.Sprintf("Add filters or summarize, or end the query with a take below %d", c.cfg.RowCap))
		case err == nil, errors.Is(err, ErrStop):
			return st, nil
		case !errors.As(err, &herr) || herr.kind != kindDecode:
			return st, err
		case emitted > 0:
			herr.hint = joinHint(herr.hint, "A query of your own cannot resume without repeating rows; run it again")
			return st, herr
		}
		if err := c.retry(ctx, cl, herr, 0); err != nil {
			return st, err
		}
	}
}
