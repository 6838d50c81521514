package dataset

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

var encArg = regexp.MustCompile(`(?i)\s-(?:enc|encodedcommand|e)\s+([A-Za-z0-9+/=]+)`)

// decodePS decodes a powershell -EncodedCommand argument.
func decodePS(s string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b)%2 != 0 {
		return "", false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u)), true
}

func TestStoryEncodedPowerShell(t *testing.T) {
	d := newTest(t)
	found := 0
	for _, r := range scan(t, d, "DeviceProcessEvents") {
		if !strings.EqualFold(str0(r["FileName"]), "powershell.exe") {
			continue
		}
		m := encArg.FindStringSubmatch(str0(r["ProcessCommandLine"]))
		if m == nil {
			continue
		}
		script, ok := decodePS(m[1])
		if !ok || !strings.ContainsAny(script, " /") {
			t.Errorf("encoded command %q does not decode to a script", m[1])
			continue
		}
		found++
	}
	if found < 2 {
		t.Errorf("found %d encoded PowerShell launches, want at least 2", found)
	}
}

func TestStoryRareRemoteIP(t *testing.T) {
	d := newTest(t)
	devices := set(scan(t, d, "DeviceInfo"), "DeviceId")
	byIP := map[string]map[string]bool{}
	for _, r := range scan(t, d, "DeviceNetworkEvents") {
		ip := str0(r["RemoteIP"])
		if byIP[ip] == nil {
			byIP[ip] = map[string]bool{}
		}
		byIP[ip][str0(r["DeviceId"])] = true
	}
	got := byIP[rareIP]
	if len(got) < 1 || len(got) > 2 {
		t.Fatalf("rare IP %s contacted by %d devices, want 1 or 2", rareIP, len(got))
	}
	for id := range got {
		if !devices[id] {
			t.Errorf("device %s contacting the rare IP is not in DeviceInfo", id)
		}
	}
	// It is the rarest public destination: every other address is seen
	// from more devices.
	for ip, devs := range byIP {
		if ip != rareIP && ip != "" && !strings.HasPrefix(ip, "10.") && len(devs) <= len(got) {
			t.Errorf("public IP %s is as rare as the planted one (%d devices)", ip, len(devs))
		}
	}
}

func TestStoryClickedPhish(t *testing.T) {
	d := newTest(t)
	phish := map[string]bool{}
	for _, r := range scan(t, d, "EmailEvents") {
		if strings.Contains(str0(r["ThreatTypes"]), "Phish") {
			phish[str0(r["NetworkMessageId"])] = true
		}
	}
	if len(phish) == 0 {
		t.Fatal("no phishing email in EmailEvents")
	}
	clicked := 0
	for _, r := range scan(t, d, "UrlClickEvents") {
		if r["ActionType"] == "ClickAllowed" && phish[str0(r["NetworkMessageId"])] {
			clicked++
			if r["IsClickedThrough"] != true {
				t.Errorf("allowed click on %s is not clicked through", r["Url"])
			}
		}
	}
	if clicked == 0 {
		t.Error("no allowed click on a phishing email's URL")
	}
	urls := 0
	for _, r := range scan(t, d, "EmailUrlInfo") {
		if phish[str0(r["NetworkMessageId"])] {
			urls++
		}
	}
	if urls == 0 {
		t.Error("EmailUrlInfo lists no URL of a phishing email")
	}
}

func TestStoryFailedSignInsConcentrated(t *testing.T) {
	d := newTest(t)
	for _, table := range []string{"EntraIdSignInEvents", "AADSignInEventsBeta"} {
		failures := map[string]int{}
		total, ok := 0, 0
		for _, r := range scan(t, d, table) {
			if code, _ := r["ErrorCode"].(int64); code != 0 {
				failures[str0(r["AccountUpn"])]++
				total++
			} else {
				ok++
			}
		}
		if total == 0 || ok == 0 {
			t.Fatalf("%s: %d failed and %d successful sign-ins", table, total, ok)
		}
		counts := make([]int, 0, len(failures))
		for _, n := range failures {
			counts = append(counts, n)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(counts)))
		top := counts[0]
		if len(counts) > 1 {
			top += counts[1]
		}
		if top*10 < total*7 {
			t.Errorf("%s: the two most failing accounts have %d of %d failures, want at least 70%%", table, top, total)
		}
	}
}

func TestStoryCriticalCVE(t *testing.T) {
	d := newTest(t)
	devices := set(scan(t, d, "DeviceInfo"), "DeviceId")
	kb := map[string]rec{}
	for _, r := range scan(t, d, "DeviceTvmSoftwareVulnerabilitiesKB") {
		kb[str0(r["CveId"])] = r
	}
	critical := 0
	for _, r := range scan(t, d, "DeviceTvmSoftwareVulnerabilities") {
		if r["VulnerabilitySeverityLevel"] != "Critical" {
			continue
		}
		critical++
		if !devices[str0(r["DeviceId"])] {
			t.Errorf("critical CVE device %s not in DeviceInfo", r["DeviceId"])
		}
		k, ok := kb[str0(r["CveId"])]
		if !ok {
			t.Errorf("%s missing from the KB", r["CveId"])
			continue
		}
		score, err := strconv.ParseFloat(str0(k["CvssScore"]), 64)
		if err != nil || score < 9 || k["VulnerabilitySeverityLevel"] != "Critical" {
			t.Errorf("KB entry for %s: score %q severity %v", r["CveId"], k["CvssScore"], k["VulnerabilitySeverityLevel"])
		}
	}
	if critical == 0 {
		t.Error("no device has a Critical CVE")
	}
}
