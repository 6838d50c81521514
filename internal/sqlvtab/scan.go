package sqlvtab

import (
	"context"
	"fmt"

	sdkgrpc "github.com/turbot/steampipe-plugin-sdk/v5/grpc"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"modernc.org/sqlite/vtab"
)

// scan is one running plugin Execute call. Rows arrive on a channel; the
// call's error is set before the channel is closed.
type scan struct {
	ctx    context.Context
	cancel context.CancelFunc
	rows   chan *proto.ExecuteResponse
	err    error
}

// startScan runs Execute for table t in a goroutine. limit < 0 means no
// limit.
func (db *DB) startScan(parent context.Context, t *vtable, cols []string, q *qualSet, limit int64) *scan {
	ctx, cancel := context.WithCancel(parent)
	s := &scan{ctx: ctx, cancel: cancel, rows: make(chan *proto.ExecuteResponse, 64)}
	qc := proto.NewQueryContext(cols, q.quals, limit, nil)
	req := &proto.ExecuteRequest{
		Table:        t.def.name,
		QueryContext: qc,
		Connection:   t.conn,
		CallId:       sdkgrpc.BuildCallId(),
		ExecuteConnectionData: map[string]*proto.ExecuteConnectionData{
			t.conn: {Limit: executeLimit(limit), CacheEnabled: false},
		},
	}
	stream := &chanStream{ctx: ctx, rows: s.rows}
	go func() {
		defer close(s.rows)
		if err := db.srv.Execute(req, stream); err != nil && ctx.Err() == nil {
			s.err = scanError(t.def.name, err)
		}
	}()
	return s
}

// scanError names the table in a plugin error. The SDK wraps some errors
// in a gRPC status, whose code means nothing here; only its message is
// kept.
func scanError(table string, err error) error {
	if st, ok := status.FromError(err); ok && st.Code() != codes.Unknown {
		return fmt.Errorf("%s: %s", table, st.Message())
	}
	return fmt.Errorf("%s: %w", table, err)
}

// next returns the next row converted for t, or nil at the end. It
// returns the scan's error once the plugin has sent everything.
func (s *scan) next(t *vtable) ([]vtab.Value, error) {
	for {
		select {
		case r, ok := <-s.rows:
			if !ok {
				return nil, s.err
			}
			if r.GetRow() == nil {
				continue
			}
			return t.convert(r.Row), nil
		case <-s.ctx.Done():
			return nil, context.Cause(s.ctx)
		}
	}
}

// convert maps a plugin row onto the table's columns; columns the plugin
// did not send are NULL. sp_connection_name is the scan's connection.
func (t *vtable) convert(r *proto.Row) []vtab.Value {
	vals := make([]vtab.Value, len(t.def.columns))
	for name, c := range r.Columns {
		if i, ok := t.def.index[name]; ok {
			vals[i] = sqlValue(c)
		}
	}
	if i, ok := t.def.index["sp_connection_name"]; ok && vals[i] == nil {
		vals[i] = t.conn
	}
	return vals
}

// executeLimit is the limit as ExecuteConnectionData carries it: nil for
// none.
func executeLimit(limit int64) *proto.NullableInt {
	if limit < 0 {
		return nil
	}
	return &proto.NullableInt{Value: limit}
}
