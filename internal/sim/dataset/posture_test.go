package dataset

import (
	"testing"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// latestBy runs the engine's arg_max over a table and keys the latest
// rows by the value of col.
func latestBy(t *testing.T, d *Dataset, kql, col string) map[string]rec {
	t.Helper()
	res, err := engine.Run(kql, d, func() time.Time { return d.Now() })
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]rec{}
	for _, row := range res.Rows {
		r := rec{}
		for k, v := range row {
			r[res.Columns[k].Name] = v
		}
		out[str0(r[col])] = r
	}
	return out
}

// The latest reports carry the planted changes, and earlier reports the
// state before them, so latest differs from any.
func TestPostureChanges(t *testing.T) {
	d := New(Options{Seed: 7, Now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)})
	devs := latestBy(t, d, "DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId", "DeviceName")
	users := latestBy(t, d, "IdentityInfo | summarize arg_max(Timestamp, *) by AccountObjectId", "AccountUpn")
	nets := latestBy(t, d, "DeviceNetworkInfo | where NetworkAdapterName == 'Ethernet' | summarize arg_max(Timestamp, *) by DeviceId, NetworkAdapterName", "DeviceName")
	latest := map[string]map[string]rec{"DeviceInfo": devs, "IdentityInfo": users, "DeviceNetworkInfo": nets}
	for _, ch := range changes {
		name := ch.entity + "@" + mailDomain
		if ch.table != "IdentityInfo" {
			name = d.t.byName[ch.entity].Name
		}
		r, ok := latest[ch.table][name]
		if !ok {
			t.Errorf("%s: no latest row for %s", ch.table, name)
			continue
		}
		if r[ch.col] != ch.after {
			t.Errorf("%s %s: latest %s = %v, want %v", ch.table, name, ch.col, r[ch.col], ch.after)
		}
	}
	before := 0
	for _, r := range scan(t, d, "DeviceInfo") {
		if str0(r["DeviceName"]) == d.t.byName["ws-eng-117"].Name && r["OSPlatform"] == "Windows10" {
			before++
		}
	}
	if before == 0 {
		t.Error("ws-eng-117 has no report from before its upgrade")
	}
	stale := devs[d.t.byName[staleDevice].Name]["Timestamp"].(time.Time)
	if !stale.Before(d.Now().Add(-staleCutoff)) {
		t.Errorf("stale device last seen %v", stale)
	}
	fresh := devs[d.t.byName[compliantHost].Name]["Timestamp"].(time.Time)
	if fresh.Before(d.Now().Add(-clearance)) {
		t.Errorf("%s last seen %v", compliantHost, fresh)
	}
	av := latestBy(t, d, "DeviceTvmInfoGathering | summarize arg_max(Timestamp, *) by DeviceId", "DeviceName")
	mode := func(short string) any {
		return av[d.t.byName[short].Name]["AdditionalFields"].(engine.Dynamic).V.(map[string]any)["AvMode"]
	}
	if mode(passiveAV) != "1" || mode(compliantHost) != "0" {
		t.Errorf("AvMode %v / %v", mode(passiveAV), mode(compliantHost))
	}
}
