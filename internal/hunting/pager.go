package hunting

import (
	"encoding/json"
	"fmt"
	"time"
)

// pager sorts the rows of one response, which arrive ordered by the time
// column. Rows before the latest time value are final and are emitted at
// once; rows at the latest time value are held back until a later value
// shows their group is complete. When a response is cut by the row cap or
// breaks off, the held group is dropped and the next request starts at its
// time value (inclusive), so it returns the whole group again: no row is
// lost, and none is emitted twice, however many rows share a timestamp.
type pager struct {
	col   string
	order Order
	extra Slice // the request's own bounds; rows outside were handled by an earlier request
	out   func(Row) error

	group     []Row
	groupRaw  string
	groupTime time.Time
	prev      time.Time
	started   bool
	emitted   int
}

// add takes the next decoded row.
func (p *pager) add(row Row) error {
	if p.col == "" {
		return p.emit(row)
	}
	raw := row.Value(p.col)
	if len(p.group) > 0 && raw == p.groupRaw {
		p.group = append(p.group, row)
		return nil
	}
	t, err := parseTime(raw)
	if err != nil {
		return &formatError{fmt.Sprintf("result column %s: %v; the query must return the time column", p.col, err)}
	}
	if p.started && (p.order == Asc && t.Before(p.prev) || p.order == Desc && t.After(p.prev)) {
		return &formatError{fmt.Sprintf("results are not sorted by %s %s", p.col, p.order)}
	}
	p.prev, p.started = t, true
	if !p.extra.contains(t) {
		// Returned because the bound in the query was coarser than asked:
		// this row belongs to a range an earlier request already covered.
		return nil
	}
	if len(p.group) > 0 && t.Equal(p.groupTime) {
		p.group = append(p.group, row)
		return nil
	}
	if err := p.flush(); err != nil {
		return err
	}
	p.group = append(p.group, row)
	p.groupRaw, p.groupTime = raw, t
	return nil
}

// flush emits the held group; the response ended without being cut.
func (p *pager) flush() error {
	for _, row := range p.group {
		if err := p.emit(row); err != nil {
			return err
		}
	}
	clear(p.group)
	p.group = p.group[:0]
	return nil
}

func (p *pager) emit(row Row) error {
	if err := p.out(row); err != nil {
		return err
	}
	p.emitted++
	return nil
}

// resume drops the held group and returns the bounds for the next request:
// from the group's time value on, in the direction of the order.
func (p *pager) resume() Slice {
	next := p.extra
	if len(p.group) == 0 {
		return next
	}
	b := &Bound{Time: p.groupTime, Inclusive: true}
	if p.order == Desc {
		next.Upper = b
	} else {
		next.Lower = b
	}
	clear(p.group)
	p.group = p.group[:0]
	return next
}

// parseTime reads a JSON datetime string.
func parseTime(raw string) (time.Time, error) {
	var s string
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		s = raw[1 : len(raw)-1]
	} else if len(raw) == 0 || raw == "null" {
		return time.Time{}, fmt.Errorf("missing or null value")
	} else if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return time.Time{}, fmt.Errorf("value %s is not a datetime string", raw)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("value %q is not an RFC 3339 datetime", s)
	}
	return t, nil
}
