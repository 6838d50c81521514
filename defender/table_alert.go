package defender

import (
	"encoding/json"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
)

// alertTable is defender_alert, from GET /security/alerts_v2.
var alertTable = &securityTable{
	name:        "defender_alert",
	description: "Microsoft Defender XDR alerts (Microsoft Graph security/alerts_v2) from every Defender product, with their status, assignment, classification, MITRE techniques and evidence.",
	collection:  "alerts_v2",
	permission:  "SecurityAlert.Read.All",
	maxTop:      2000,
	getByID:     true,
	columns: []securityColumn{
		col("id", textCol, "The alert's unique id, equal to AlertInfo.AlertId (defender_alert_info.alert_id); id = 'x' reads that one alert."),
		col("title", textCol, "The alert's title."),
		col("description", textCol, "What the alert detected."),
		col("incidentId", textCol, "The incident the alert belongs to (defender_incident.id)."),
		filtered("status", enumFilter, textCol, "The alert's status: unknown, new, inProgress or resolved.", graphAlertStatuses...),
		filtered("severity", enumFilter, textCol, "How serious the alert is: unknown, informational, low, medium or high.", graphSeverities...),
		filtered("classification", enumFilter, textCol, "The analyst's classification: unknown, falsePositive, truePositive or informationalExpectedActivity.", graphClassifications...),
		filtered("determination", enumFilter, textCol, "What the alert turned out to be, such as malware, phishing or notMalicious.", graphDeterminations...),
		filtered("assignedTo", textFilter, textCol, "The owner of the alert, or null when nobody is assigned."),
		filtered("serviceSource", enumFilter, textCol, "The service that raised the alert, such as microsoftDefenderForEndpoint or microsoftDefenderForOffice365.", graphServiceSources...),
		filtered("createdDateTime", timeFilter, timeCol, "When the alert was created."),
		filtered("lastUpdateDateTime", timeFilter, timeCol, "When the alert was last updated."),
		col("resolvedDateTime", timeCol, "When the alert was resolved."),
		col("firstActivityDateTime", timeCol, "The earliest activity the alert covers."),
		col("lastActivityDateTime", timeCol, "The latest activity the alert covers."),
		col("providerAlertId", textCol, "The alert's id in the product that raised it."),
		col("detectionSource", textCol, "The detection technology, such as antivirus or microsoftDefenderForEndpoint."),
		col("detectorId", textCol, "The id of the detector that raised the alert."),
		col("productName", textCol, "The product that raised the alert."),
		col("category", textCol, "The attack stage, such as Execution or CredentialAccess."),
		col("recommendedActions", textCol, "What to do about the alert."),
		col("alertWebUrl", textCol, "The alert's page in the Microsoft Defender portal."),
		col("incidentWebUrl", textCol, "The incident's page in the Microsoft Defender portal."),
		col("actorDisplayName", textCol, "The adversary or activity group associated with the alert."),
		col("threatDisplayName", textCol, "The threat associated with the alert."),
		col("threatFamilyName", textCol, "The threat family associated with the alert."),
		col("alertPolicyId", textCol, "The id of the policy that raised the alert."),
		col("tenantId", textCol, "The Microsoft Entra tenant the alert was created in, as Graph reports it."),
		col("mitreTechniques", jsonCol, "The MITRE ATT&CK technique ids of the alert, such as [\"T1059.001\"]."),
		col("evidence", jsonCol, "The alert's evidence: devices, users, processes, files, mailboxes, IPs, URLs and more, each with @odata.type."),
		col("comments", jsonCol, "The comments on the alert (comment, createdByDisplayName, createdDateTime)."),
		col("systemTags", jsonCol, "The tags the system put on the alert."),
		col("customDetails", jsonCol, "Custom details of the alert, from its detection rule."),
		col("additionalData", jsonCol, "Additional properties of the alert."),
		{name: "device_ids", typ: jsonCol, derive: evidenceIDs("mdeDeviceId"),
			description: "The Defender device ids in the evidence (mdeDeviceId), which join DeviceId in the hunting tables (defender_device_info.device_id)."},
		{name: "azure_ad_device_ids", typ: jsonCol, derive: evidenceIDs("azureAdDeviceId"),
			description: "The Microsoft Entra device ids in the evidence (azureAdDeviceId), which join azuread_device.device_id."},
		{name: "user_object_ids", typ: jsonCol, derive: evidenceIDs("userAccount", "azureAdUserId"),
			description: "The Microsoft Entra user object ids in the evidence (userAccount.azureAdUserId), which join azuread_user.id and AccountObjectId in the hunting tables."},
		{name: "vm_ids", typ: jsonCol, derive: evidenceIDs("vmMetadata", "vmId"),
			description: "The Azure virtual machine ids in the evidence (vmMetadata.vmId), which join azure_compute_virtual_machine.vm_id."},
	},
}

// evidenceIDs returns a function listing the distinct non-empty strings at
// path in an alert's evidence, in evidence order; an alert without any
// gives an empty array.
func evidenceIDs(path ...string) func(graphsec.Item) any {
	return func(it graphsec.Item) any {
		var evidence []map[string]any
		if json.Unmarshal(it["evidence"], &evidence) != nil {
			return nil
		}
		ids := []string{}
		for _, e := range evidence {
			var v any = e
			for _, k := range path {
				m, _ := v.(map[string]any)
				v = m[k]
			}
			if s, ok := v.(string); ok && s != "" && !contains(ids, s) {
				ids = append(ids, s)
			}
		}
		return ids
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
