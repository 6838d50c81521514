package dataset

import (
	"strings"
	"testing"
	"time"
)

// subset reports the values of col in rows that are missing from keys.
func missing(rows []rec, col string, keys map[string]bool) []string {
	var out []string
	for _, r := range rows {
		if s := str0(r[col]); s != "" && !keys[s] {
			out = append(out, s)
		}
	}
	return out
}

func TestJoinKeysConsistent(t *testing.T) {
	d := newTest(t)
	devices := set(scan(t, d, "DeviceInfo"), "DeviceId")
	if len(devices) < 20 || len(devices) > 30 {
		t.Errorf("DeviceInfo has %d devices, want about 25", len(devices))
	}
	for _, table := range []string{"DeviceNetworkEvents", "DeviceProcessEvents", "DeviceFileEvents", "DeviceLogonEvents",
		"DeviceRegistryEvents", "DeviceTvmSoftwareVulnerabilities", "DeviceTvmSoftwareInventory", "AlertEvidence"} {
		if m := missing(scan(t, d, table), "DeviceId", devices); len(m) > 0 {
			t.Errorf("%s has DeviceIds not in DeviceInfo: %v", table, m[:1])
		}
	}
	mails := set(scan(t, d, "EmailEvents"), "NetworkMessageId")
	for _, table := range []string{"EmailUrlInfo", "UrlClickEvents", "EmailAttachmentInfo", "EmailPostDeliveryEvents", "CampaignInfo"} {
		rows := scan(t, d, table)
		if m := missing(rows, "NetworkMessageId", mails); len(m) > 0 {
			t.Errorf("%s has %d NetworkMessageIds not in EmailEvents", table, len(m))
		}
		if len(set(rows, "NetworkMessageId")) == 0 {
			t.Errorf("%s has no NetworkMessageId", table)
		}
	}
	alerts := set(scan(t, d, "AlertInfo"), "AlertId")
	if m := missing(scan(t, d, "AlertEvidence"), "AlertId", alerts); len(m) > 0 {
		t.Errorf("AlertEvidence has AlertIds not in AlertInfo: %v", m[:1])
	}
	cves := set(scan(t, d, "DeviceTvmSoftwareVulnerabilitiesKB"), "CveId")
	if m := missing(scan(t, d, "DeviceTvmSoftwareVulnerabilities"), "CveId", cves); len(m) > 0 {
		t.Errorf("vulnerabilities name CVEs missing from the KB: %v", m[:1])
	}
	behaviors := set(scan(t, d, "BehaviorInfo"), "BehaviorId")
	if m := missing(scan(t, d, "BehaviorEntities"), "BehaviorId", behaviors); len(m) > 0 {
		t.Errorf("BehaviorEntities has BehaviorIds not in BehaviorInfo: %v", m[:1])
	}
	nodes := set(scan(t, d, "ExposureGraphNodes"), "NodeId")
	edges := scan(t, d, "ExposureGraphEdges")
	for _, col := range []string{"SourceNodeId", "TargetNodeId"} {
		if m := missing(edges, col, nodes); len(m) > 0 {
			t.Errorf("ExposureGraphEdges.%s not in nodes: %v", col, m[:1])
		}
	}
	users := set(scan(t, d, "IdentityInfo"), "AccountObjectId")
	if m := missing(scan(t, d, "DeviceProcessEvents"), "AccountObjectId", users); len(m) > 0 {
		t.Errorf("DeviceProcessEvents has accounts unknown to IdentityInfo: %v", m[:1])
	}
}

func TestAlertEvidenceMatchesAlert(t *testing.T) {
	d := newTest(t)
	info := map[string]rec{}
	for _, r := range scan(t, d, "AlertInfo") {
		info[str0(r["AlertId"])] = r
	}
	for _, r := range scan(t, d, "AlertEvidence") {
		a := info[str0(r["AlertId"])]
		if a == nil {
			continue
		}
		if r["Title"] != a["Title"] || !r["Timestamp"].(time.Time).Equal(a["Timestamp"].(time.Time)) {
			t.Errorf("evidence for %s has title %v at %v, alert has %v at %v", r["AlertId"], r["Title"], r["Timestamp"], a["Title"], a["Timestamp"])
		}
	}
}

// procKey identifies a process instance on a device.
type procKey struct {
	dev string
	pid int64
	at  time.Time
}

func TestProcessTreeSelfJoin(t *testing.T) {
	d := newTest(t)
	rows := scan(t, d, "DeviceProcessEvents")
	created := map[procKey]rec{}
	for _, r := range rows {
		if at, ok := r["ProcessCreationTime"].(time.Time); ok {
			created[procKey{str0(r["DeviceId"]), r["ProcessId"].(int64), at}] = r
		}
	}
	joined := 0
	for _, r := range rows {
		at, ok := r["InitiatingProcessCreationTime"].(time.Time)
		pid, _ := r["InitiatingProcessId"].(int64)
		if !ok {
			continue
		}
		p := created[procKey{str0(r["DeviceId"]), pid, at}]
		if p == nil {
			continue
		}
		joined++
		// Either side may be blanked as an edge value; compare the rest.
		for child, parent := range map[string]string{
			"InitiatingProcessFileName":    "FileName",
			"InitiatingProcessCommandLine": "ProcessCommandLine",
			"InitiatingProcessSHA256":      "SHA256",
			"InitiatingProcessAccountUpn":  "AccountUpn",
		} {
			if c, p := str0(r[child]), str0(p[parent]); c != "" && p != "" && c != p {
				t.Errorf("child's %s = %q, parent row's %s = %q", child, c, parent, p)
			}
		}
		if !at.Before(r["Timestamp"].(time.Time)) && !at.Equal(r["Timestamp"].(time.Time)) {
			t.Errorf("parent created at %v after child at %v", at, r["Timestamp"])
		}
		if gp, ok := r["InitiatingProcessParentId"].(int64); ok && p["InitiatingProcessId"] != nil && gp != p["InitiatingProcessId"] {
			t.Errorf("grandparent id %d, parent row says %v", gp, p["InitiatingProcessId"])
		}
	}
	if joined < len(rows)/3 {
		t.Errorf("only %d of %d processes join to a parent row", joined, len(rows))
	}
	t.Logf("%d of %d DeviceProcessEvents rows join to their parent's row", joined, len(rows))

	// Other Device tables name processes that DeviceProcessEvents created.
	pids := map[[2]string]bool{}
	for k := range created {
		pids[[2]string{k.dev, k.at.String()}] = true
	}
	for _, table := range []string{"DeviceNetworkEvents", "DeviceFileEvents", "DeviceRegistryEvents"} {
		n, hit := 0, 0
		for _, r := range scan(t, d, table) {
			at, ok := r["InitiatingProcessCreationTime"].(time.Time)
			if !ok || strings.Contains(str0(r["InitiatingProcessFileName"]), "init") {
				continue
			}
			n++
			if pids[[2]string{str0(r["DeviceId"]), at.String()}] {
				hit++
			}
		}
		if hit*10 < n*9 {
			t.Errorf("%s: %d of %d initiating processes are DeviceProcessEvents rows", table, hit, n)
		}
	}
}
