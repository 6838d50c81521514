package sim

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/dataset"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/odatafilter"
)

// secEntity is one incident, alert, secure score or control profile: its
// JSON body and the typed values its $filter reads.
type secEntity struct {
	id      string
	created time.Time
	body    map[string]any
	filter  map[string]odatafilter.Value
}

// secStore is the Graph security data, derived from the hunting tables so
// that the two agree: an alert's id is its AlertInfo.AlertId, its evidence
// comes from AlertEvidence, and device evidence carries DeviceInfo's ids.
// Collections are ordered most recent first, as Graph lists them.
type secStore struct {
	incidents, alerts, scores, profiles []*secEntity
	alertsOf                            map[string][]*secEntity // incident id → its alerts
}

// graphTime formats t as Graph does: UTC with seven fractional digits.
func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// scanTable calls each with a column getter for every row of a table.
func scanTable(d *dataset.Dataset, name string, each func(col func(string) engine.Value)) {
	t, ok := d.Table(name)
	if !ok {
		return
	}
	idx := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		idx[c.Name] = i
	}
	t.Scan(func(row []engine.Value) bool {
		each(func(n string) engine.Value {
			if i, ok := idx[n]; ok {
				return row[i]
			}
			return nil
		})
		return true
	})
}

// text is a string or guid value as text; anything else is "".
func text(v engine.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case engine.GUID:
		return string(x)
	}
	return ""
}

// orNull is s, or nil when s is empty.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// pick chooses from options by a hash of key, deterministically.
func pick(key string, salt string, options []string) string {
	h := fnv.New32a()
	h.Write([]byte(salt + "\x00" + key))
	return options[int(h.Sum32()%uint32(len(options)))]
}

// hashMinutes is a deterministic duration of 1 to n minutes.
func hashMinutes(key, salt string, n int) time.Duration {
	h := fnv.New32a()
	h.Write([]byte(salt + "\x00" + key))
	return time.Duration(1+int(h.Sum32()%uint32(n))) * time.Minute
}

// Graph's enumerations, as the simulator fills and validates them.
var (
	alertStatuses    = []string{"unknown", "new", "inProgress", "resolved", "unknownFutureValue"}
	incidentStatuses = []string{"active", "resolved", "inProgress", "redirected", "unknownFutureValue", "awaitingAction"}
	severities       = []string{"unknown", "informational", "low", "medium", "high", "unknownFutureValue"}
	classifications  = []string{"unknown", "falsePositive", "truePositive", "informationalExpectedActivity", "unknownFutureValue"}
	determinations   = []string{"unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware", "other",
		"multiStagedAttack", "compromisedAccount", "phishing", "maliciousUserActivity", "notMalicious", "notEnoughDataToValidate",
		"confirmedUserActivity", "lineOfBusinessApplication", "unknownFutureValue"}
	serviceSources = []string{"unknown", "microsoftDefenderForEndpoint", "microsoftDefenderForIdentity",
		"microsoftDefenderForCloudApps", "microsoftDefenderForOffice365", "microsoft365Defender", "azureAdIdentityProtection",
		"microsoftAppGovernance", "dataLossPrevention", "unknownFutureValue", "microsoftDefenderForCloud", "microsoftSentinel"}
	detectionSources = map[string]string{
		"EDR": "microsoftDefenderForEndpoint", "Antivirus": "antivirus",
		"Microsoft Defender for Office 365": "microsoftDefenderForOffice365",
		"Microsoft Entra ID Protection":     "azureAdIdentityProtection",
		"Microsoft Defender for Identity":   "microsoftDefenderForIdentity",
		"Microsoft Defender for Cloud Apps": "microsoftDefenderForCloudApps",
		"Microsoft Defender for Cloud":      "microsoftDefenderForCloud",
	}
	serviceSourceNames = map[string]string{
		"Microsoft Defender for Endpoint":   "microsoftDefenderForEndpoint",
		"Microsoft Defender for Office 365": "microsoftDefenderForOffice365",
		"Microsoft Entra ID Protection":     "azureAdIdentityProtection",
		"Microsoft Defender for Identity":   "microsoftDefenderForIdentity",
		"Microsoft Defender for Cloud Apps": "microsoftDefenderForCloudApps",
		"Microsoft Defender for Cloud":      "microsoftDefenderForCloud",
	}
	// analysts are the assignees; one name carries a quote, so filters on
	// it exercise OData string escaping.
	analysts = []string{"", "", "alice.moreau@" + DemoDomain, "sean.o'brien@" + DemoDomain, "soc-tier1@" + DemoDomain, "Automation"}
)

// severityRank orders severities for an incident's overall severity.
var severityRank = map[string]int{"unknown": 0, "informational": 1, "low": 2, "medium": 3, "high": 4}

// deviceFacts are the ids DeviceInfo records for one device.
type deviceFacts struct{ name, aadID, vmID, os string }

// buildSecurity derives the Graph security data from the data set.
func buildSecurity(d *dataset.Dataset, tenant, base string) *secStore {
	devices := map[string]*deviceFacts{}
	scanTable(d, "DeviceInfo", func(col func(string) engine.Value) {
		id := text(col("DeviceId"))
		f := devices[id]
		if f == nil {
			f = &deviceFacts{}
			devices[id] = f
		}
		fill := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		fill(&f.name, text(col("DeviceName")))
		fill(&f.aadID, text(col("AadDeviceId")))
		fill(&f.vmID, text(col("AzureVmId")))
		fill(&f.os, text(col("OSPlatform")))
	})
	// The process events behind process evidence give an alert its
	// activity times.
	procTimes := map[string][]time.Time{}
	scanTable(d, "DeviceProcessEvents", func(col func(string) engine.Value) {
		if t, ok := col("Timestamp").(time.Time); ok {
			k := text(col("DeviceId")) + "\x00" + text(col("ProcessCommandLine"))
			procTimes[k] = append(procTimes[k], t)
		}
	})
	evidence := map[string][]map[string]any{}
	activity := map[string][]time.Time{}
	scanTable(d, "AlertEvidence", func(col func(string) engine.Value) {
		id := text(col("AlertId"))
		ev, times := evidenceOf(col, devices, procTimes)
		evidence[id] = append(evidence[id], ev)
		activity[id] = append(activity[id], times...)
	})

	s := &secStore{alertsOf: map[string][]*secEntity{}}
	var incident *secEntity
	var members []*secEntity
	n := 0
	flush := func() {
		if incident != nil {
			finishIncident(incident, members)
			s.incidents = append(s.incidents, incident)
			s.alertsOf[incident.id] = members
		}
		incident, members = nil, nil
	}
	scanTable(d, "AlertInfo", func(col func(string) engine.Value) {
		// Every three consecutive alerts form one incident; the first
		// incident holds the three planted stories.
		if n%3 == 0 {
			flush()
			incident = newIncident(strconv.Itoa(2972000+n/3), tenant, base, n/3)
		}
		a := newAlert(col, incident.id, tenant, base, n, evidence, activity)
		s.alerts = append(s.alerts, a)
		members = append(members, a)
		n++
	})
	flush()
	s.scores = secureScores(d.Now(), tenant)
	s.profiles = controlProfiles(tenant)
	for _, list := range [][]*secEntity{s.incidents, s.alerts, s.scores, s.profiles} {
		sort.SliceStable(list, func(i, j int) bool { return list[i].created.After(list[j].created) })
	}
	return s
}

// newAlert builds alert n from its AlertInfo row.
func newAlert(col func(string) engine.Value, incidentID, tenant, base string, n int,
	evidence map[string][]map[string]any, activity map[string][]time.Time) *secEntity {
	id := text(col("AlertId"))
	created, _ := col("Timestamp").(time.Time)
	story := n < 3
	status := pick(id, "status", []string{"new", "new", "inProgress", "resolved", "resolved"})
	if story {
		status = "new"
	}
	var classification, determination any
	var resolved any
	switch status {
	case "resolved":
		c := pick(id, "classification", []string{"truePositive", "falsePositive", "informationalExpectedActivity"})
		classification = c
		determination = map[string]string{"truePositive": pick(id, "determination", []string{"malware", "phishing", "multiStagedAttack", "compromisedAccount"}),
			"falsePositive":                 pick(id, "determination", []string{"notMalicious", "notEnoughDataToValidate"}),
			"informationalExpectedActivity": pick(id, "determination", []string{"securityTesting", "lineOfBusinessApplication", "confirmedUserActivity"})}[c]
		resolved = graphTime(created.Add(hashMinutes(id, "resolved", 600)))
	default:
		if pick(id, "unclassified", []string{"null", "unknown"}) == "unknown" {
			classification, determination = "unknown", "unknown"
		}
	}
	assigned := orNull(pick(id, "assignedTo", analysts))
	if story {
		assigned = nil
	}
	severity := strings.ToLower(text(col("Severity")))
	if _, ok := severityRank[severity]; !ok {
		severity = "unknown"
	}
	service := serviceSourceNames[text(col("ServiceSource"))]
	if service == "" {
		service = "unknown"
	}
	detection := detectionSources[text(col("DetectionSource"))]
	if detection == "" {
		detection = "unknown"
	}
	var techniques []string
	for _, m := range techniqueID.FindAllStringSubmatch(text(col("AttackTechniques")), -1) {
		techniques = append(techniques, m[1])
	}
	first, last := created, created
	for _, t := range activity[id] {
		if t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	updated := created.Add(hashMinutes(id, "updated", 720))
	title := text(col("Title"))
	ev := evidence[id]
	if ev == nil {
		ev = []map[string]any{}
	}
	body := map[string]any{
		"id": id, "providerAlertId": strings.TrimLeft(id, "abcdefghijklmnopqrstuvwxyz"), "incidentId": incidentID,
		"status": status, "severity": severity, "classification": classification, "determination": determination,
		"serviceSource": service, "detectionSource": detection, "productName": productName(service),
		"detectorId": fmt.Sprintf("%08x-0000-4000-8000-%012x", fnvOf(title), fnvOf(id)), "tenantId": tenant,
		"title": orNull(title), "description": orNull(title + " was observed. Review the evidence and the timeline."),
		"recommendedActions": "Investigate the device and user involved; isolate the device if the activity is confirmed.",
		"category":           orNull(text(col("Category"))), "assignedTo": assigned,
		"alertWebUrl":      base + "/alerts/" + id + "?tid=" + tenant,
		"incidentWebUrl":   base + "/incidents/" + incidentID + "?tid=" + tenant,
		"actorDisplayName": nil, "threatDisplayName": nil, "threatFamilyName": nil, "alertPolicyId": nil,
		"mitreTechniques": nonNil(techniques), "createdDateTime": graphTime(created),
		"lastUpdateDateTime": graphTime(updated), "resolvedDateTime": resolved,
		"firstActivityDateTime": graphTime(first), "lastActivityDateTime": graphTime(last),
		"comments": []any{}, "evidence": ev, "systemTags": []string{}, "customDetails": map[string]any{},
		"additionalData": map[string]any{},
	}
	if status != "new" {
		body["comments"] = []any{map[string]any{
			"comment": "Triaged by " + pick(id, "commenter", analysts[2:]) + "; it's being tracked.", "createdByDisplayName": pick(id, "commenter", analysts[2:]),
			"createdDateTime": graphTime(updated)}}
	}
	return &secEntity{id: id, created: created, body: body, filter: map[string]odatafilter.Value{
		"status": status, "severity": severity, "classification": classification, "determination": determination,
		"assignedTo": assigned, "serviceSource": service, "createdDateTime": created, "lastUpdateDateTime": updated,
	}}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func fnvOf(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// productName is the product that raised an alert of a service source.
func productName(service string) any {
	return map[string]any{
		"microsoftDefenderForEndpoint": "Microsoft Defender for Endpoint", "microsoftDefenderForOffice365": "Microsoft Defender for Office 365",
		"azureAdIdentityProtection": "Microsoft Entra ID Protection", "microsoftDefenderForIdentity": "Microsoft Defender for Identity",
		"microsoftDefenderForCloudApps": "Microsoft Defender for Cloud Apps", "microsoftDefenderForCloud": "Microsoft Defender for Cloud",
	}[service]
}

// newIncident starts incident k; finishIncident completes it from its
// alerts.
func newIncident(id, tenant, base string, k int) *secEntity {
	return &secEntity{id: id, body: map[string]any{
		"id": id, "tenantId": tenant, "incidentWebUrl": base + "/incidents/" + id + "?tid=" + tenant,
		"redirectIncidentId": nil, "customTags": []string{}, "comments": []any{}, "resolvingComment": nil,
		"summary": nil, "lastModifiedBy": nil,
	}, filter: map[string]odatafilter.Value{}}
}

func finishIncident(in *secEntity, alerts []*secEntity) {
	id := in.id
	sev, categories, resolved := "unknown", []string{}, true
	var created, updated time.Time
	for i, a := range alerts {
		s := a.filter["severity"].(string)
		if severityRank[s] > severityRank[sev] {
			sev = s
		}
		if c, ok := a.body["category"].(string); ok && !contains(categories, c) {
			categories = append(categories, c)
		}
		resolved = resolved && a.filter["status"] == "resolved"
		if t := a.created; i == 0 || t.Before(created) {
			created = t
		}
		if t := a.filter["lastUpdateDateTime"].(time.Time); t.After(updated) {
			updated = t
		}
	}
	status := pick(id, "status", []string{"active", "active", "inProgress"})
	var classification, determination any = "unknown", "unknown"
	if resolved {
		status = "resolved"
		classification = pick(id, "classification", []string{"truePositive", "falsePositive"})
		determination = map[any]string{"truePositive": "multiStagedAttack", "falsePositive": "notMalicious"}[classification]
	} else if pick(id, "unclassified", []string{"null", "unknown"}) == "null" {
		classification, determination = nil, nil
	}
	assigned := orNull(pick(id, "assignedTo", analysts))
	name := "Multi-stage incident involving " + strings.Join(categories, " & ")
	if len(categories) < 2 {
		if t, ok := alerts[0].body["title"].(string); ok {
			name = t
		}
	}
	if id == "2972000" {
		status, assigned = "active", nil
		in.body["customTags"] = []string{"planted-story"}
	}
	if status != "active" {
		in.body["comments"] = []any{map[string]any{"comment": "Looked at it; it's " + status + ".",
			"createdByDisplayName": "soc-tier1@" + DemoDomain, "createdDateTime": graphTime(updated)}}
	}
	in.created = created
	for k, v := range map[string]any{
		"displayName": name, "description": "Alerts on the same devices and users, correlated by Microsoft Defender XDR.",
		"createdDateTime": graphTime(created), "lastUpdateDateTime": graphTime(updated), "assignedTo": assigned,
		"classification": classification, "determination": determination, "severity": sev, "status": status,
		"systemTags": []string{}, "lastModifiedBy": orNull(pick(id, "modifier", []string{"", "API-App:" + DemoClientID, "soc-tier1@" + DemoDomain})),
	} {
		in.body[k] = v
	}
	in.filter = map[string]odatafilter.Value{
		"status": status, "severity": sev, "classification": classification, "determination": determination,
		"assignedTo": assigned, "createdDateTime": created, "lastUpdateDateTime": updated,
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
