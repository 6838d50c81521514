package pgbed

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/pgtime"
)

// TestLoadRoundsTimestampsLikePostgres checks the loaded timestamps of a
// table against the plugin's own 100 ns values: PostgreSQL must hold
// exactly pgtime.Stored of each.
func TestLoadRoundsTimestampsLikePostgres(t *testing.T) {
	b := needBed(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const table = "defender_device_process_events"
	rows, err := b.Query(ctx, "select timestamp from "+table)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []time.Time
	for _, r := range rows {
		got = append(got, r["timestamp"].(time.Time))
	}
	ticks := 0
	err = b.scan(ctx, table, []string{"timestamp"}, nil, func(r *proto.Row) error {
		raw := r.Columns["timestamp"].GetTimestampValue().AsTime()
		if raw.Nanosecond()%1000 != 0 {
			ticks++
		}
		want = append(want, pgtime.Stored(raw))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ticks == 0 {
		t.Fatal("no timestamp has a 7th fractional digit: the test checks nothing")
	}
	slices.SortFunc(got, time.Time.Compare)
	slices.SortFunc(want, time.Time.Compare)
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Fatalf("PostgreSQL holds timestamps other than pgtime.Stored of the plugin's values (%d rows, %d expected)", len(got), len(want))
	}
}
