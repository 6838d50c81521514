package defender

import (
	"encoding/json"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/graphsec"
)

// incidentTable is defender_incident, from GET /security/incidents.
var incidentTable = &securityTable{
	name:          "defender_incident",
	description:   "Microsoft Defender XDR incidents (Microsoft Graph security/incidents): correlated alerts with their status, assignment, classification and determination.",
	collection:    "incidents",
	permission:    "SecurityIncident.Read.All",
	maxTop:        50,
	getByID:       true,
	expand:        "alerts",
	expandColumns: []string{"alerts", "alert_ids"},
	columns: []securityColumn{
		col("id", textCol, "The incident's unique id; id = 'x' reads that one incident."),
		col("displayName", textCol, "The incident's title."),
		col("description", textCol, "A description of the incident."),
		col("summary", textCol, "The incident's summary."),
		filtered("status", enumFilter, textCol, "The incident's status: active, resolved, inProgress, redirected, awaitingAction or unknownFutureValue.", graphIncidentStatuses...),
		filtered("severity", enumFilter, textCol, "How serious the incident is: unknown, informational, low, medium or high.", graphSeverities...),
		filtered("classification", enumFilter, textCol, "The analyst's classification: unknown, falsePositive, truePositive or informationalExpectedActivity.", graphClassifications...),
		filtered("determination", enumFilter, textCol, "What the incident turned out to be, such as malware, phishing, multiStagedAttack or notMalicious.", graphDeterminations...),
		filtered("assignedTo", textFilter, textCol, "The owner of the incident, or null when nobody is assigned."),
		filtered("createdDateTime", timeFilter, timeCol, "When the incident was first created."),
		filtered("lastUpdateDateTime", timeFilter, timeCol, "When the incident was last updated."),
		col("incidentWebUrl", textCol, "The incident's page in the Microsoft Defender portal."),
		col("redirectIncidentId", textCol, "The incident this one was merged into, when its status is redirected."),
		col("tenantId", textCol, "The Microsoft Entra tenant the incident was created in, as Graph reports it."),
		col("customTags", jsonCol, "The tags analysts put on the incident."),
		col("systemTags", jsonCol, "The tags the system put on the incident."),
		col("comments", jsonCol, "The comments on the incident (comment, createdByDisplayName, createdDateTime)."),
		col("resolvingComment", textCol, "The comment given when the incident was resolved."),
		col("lastModifiedBy", textCol, "Who last changed the incident."),
		col("alerts", jsonCol, "The incident's alerts, as defender_alert returns them (read with $expand=alerts)."),
		{name: "alert_ids", typ: jsonCol, derive: incidentAlertIDs,
			description: "The ids of the incident's alerts, which are defender_alert.id and AlertInfo.AlertId (defender_alert_info.alert_id)."},
	},
}

// incidentAlertIDs lists the ids of an incident's expanded alerts.
func incidentAlertIDs(it graphsec.Item) any {
	var alerts []struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(it["alerts"], &alerts) != nil || alerts == nil {
		return nil
	}
	ids := make([]string, len(alerts))
	for i, a := range alerts {
		ids[i] = a.ID
	}
	return ids
}
