package sqlvtab

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/grpc/metadata"
)

// chanStream is the server side of one Execute call, run in-process: every
// row the SDK sends goes to a channel. It replaces the SDK's local stream,
// which drops an error raised after the first row.
type chanStream struct {
	ctx  context.Context
	rows chan<- *proto.ExecuteResponse
}

// Send hands one row to the reader, or gives up when the scan is
// cancelled.
func (s *chanStream) Send(r *proto.ExecuteResponse) error {
	select {
	case s.rows <- r:
		return nil
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
}

// Context is the scan's context; cancelling it stops the scan.
func (s *chanStream) Context() context.Context { return s.ctx }

// SetHeader is a no-op: there is no gRPC transport.
func (s *chanStream) SetHeader(metadata.MD) error { return nil }

// SendHeader is a no-op.
func (s *chanStream) SendHeader(metadata.MD) error { return nil }

// SetTrailer is a no-op.
func (s *chanStream) SetTrailer(metadata.MD) {}

// SendMsg is a no-op.
func (s *chanStream) SendMsg(any) error { return nil }

// RecvMsg is a no-op.
func (s *chanStream) RecvMsg(any) error { return nil }

var _ proto.WrapperPlugin_ExecuteServer = (*chanStream)(nil)
