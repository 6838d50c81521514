package pgbed

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/e2e"
)

// scan runs one FDW scan of table through the plugin: the columns, the
// quals, no limit and no sort. It is the bed's only use of the e2e scan
// API.
func (b *Bed) scan(ctx context.Context, table string, columns []string, quals []e2e.Qual, each func(*proto.Row) error) error {
	ctx, cancel := context.WithTimeout(ctx, e2e.DefaultTimeout)
	defer cancel()
	return b.plug.Stream(ctx, e2e.Scan{
		Table: table, Connections: []string{connection}, Columns: columns, Quals: quals, Limit: -1,
	}, each)
}
