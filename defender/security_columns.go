package defender

import (
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// Shorthands for declaring the security tables' columns.
const (
	textCol = proto.ColumnType_STRING
	timeCol = proto.ColumnType_TIMESTAMP
	jsonCol = proto.ColumnType_JSON
	intCol  = proto.ColumnType_INT
	realCol = proto.ColumnType_DOUBLE
	boolCol = proto.ColumnType_BOOL
)

// col declares a property column.
func col(field string, typ proto.ColumnType, description string) securityColumn {
	return securityColumn{field: field, typ: typ, description: description}
}

// filtered declares a property column that is pushed into $filter.
func filtered(field string, kind filterKind, typ proto.ColumnType, description string, members ...string) securityColumn {
	return securityColumn{field: field, typ: typ, description: description, filter: kind, members: members}
}

// Graph's enumerations of the incident and alert properties that $filter
// accepts. A value outside them is not sent (Graph would reject it); the
// condition is then checked on the rows instead.
var (
	graphSeverities = []string{"unknown", "informational", "low", "medium", "high", "unknownFutureValue"}
	// graphClassifications has the v1.0 members.
	graphClassifications = []string{"unknown", "falsePositive", "truePositive", "informationalExpectedActivity", "unknownFutureValue"}
	graphDeterminations  = []string{"unknown", "apt", "malware", "securityPersonnel", "securityTesting", "unwantedSoftware",
		"other", "multiStagedAttack", "compromisedAccount", "phishing", "maliciousUserActivity", "notMalicious",
		"notEnoughDataToValidate", "confirmedUserActivity", "lineOfBusinessApplication", "unknownFutureValue"}
	graphIncidentStatuses = []string{"active", "resolved", "inProgress", "redirected", "unknownFutureValue", "awaitingAction"}
	graphAlertStatuses    = []string{"unknown", "new", "inProgress", "resolved", "unknownFutureValue"}
	graphServiceSources   = []string{"unknown", "microsoftDefenderForEndpoint", "microsoftDefenderForIdentity",
		"microsoftDefenderForCloudApps", "microsoftDefenderForOffice365", "microsoft365Defender", "azureAdIdentityProtection",
		"microsoftAppGovernance", "dataLossPrevention", "unknownFutureValue", "microsoftDefenderForCloud", "microsoftSentinel"}
)
