package defender

// secureScoreTable is defender_secure_score, from GET
// /security/secureScores.
var secureScoreTable = &securityTable{
	name:        "defender_secure_score",
	description: "Microsoft Secure Score daily snapshots of the tenant (Microsoft Graph security/secureScores, the last 90 days), with the scores of each control and comparisons with similar tenants.",
	collection:  "secureScores",
	permission:  "SecurityEvents.Read.All",
	maxTop:      100,
	columns: []securityColumn{
		col("id", textCol, "The snapshot's id: the tenant id and the date."),
		col("azureTenantId", textCol, "The Microsoft Entra tenant of the snapshot."),
		col("createdDateTime", timeCol, "When the snapshot was taken."),
		col("currentScore", realCol, "The tenant's score on that day."),
		col("maxScore", realCol, "The highest score the tenant could have had."),
		col("activeUserCount", intCol, "The number of active users."),
		col("licensedUserCount", intCol, "The number of licensed users."),
		col("enabledServices", jsonCol, "The Microsoft services the tenant uses, such as HasExchange or HasMDATP."),
		col("averageComparativeScores", jsonCol, "Average scores of other tenants (basis AllTenants, TotalSeats, IndustryTypes) to compare with."),
		col("controlScores", jsonCol, "The score of each control (controlName, controlCategory, score, description)."),
		col("vendorInformation", jsonCol, "The provider of the score (provider, vendor, providerVersion, subProvider)."),
	},
}

// secureScoreControlProfileTable is defender_secure_score_control_profile,
// from GET /security/secureScoreControlProfiles.
var secureScoreControlProfileTable = &securityTable{
	name:        "defender_secure_score_control_profile",
	description: "Microsoft Secure Score controls (Microsoft Graph security/secureScoreControlProfiles): what each recommends, its maximum score, cost, user impact and threats.",
	collection:  "secureScoreControlProfiles",
	permission:  "SecurityEvents.Read.All",
	maxTop:      100,
	columns: []securityColumn{
		col("id", textCol, "The control's name, which is controlName in defender_secure_score.control_scores."),
		col("title", textCol, "The control's title."),
		col("azureTenantId", textCol, "The Microsoft Entra tenant."),
		col("controlCategory", textCol, "The control's category: Identity, Data, Device, Apps or Infrastructure."),
		col("actionType", textCol, "The kind of action: Config, Review or Behavior."),
		col("actionUrl", textCol, "Where to take the action."),
		col("service", textCol, "The service the control applies to, such as AzureAD, MDO or MDATP."),
		col("maxScore", realCol, "The most points the control can add to the score."),
		col("rank", intCol, "The control's rank in the recommended order."),
		col("tier", textCol, "The control's tier: Core, Defense in depth or Advanced."),
		col("implementationCost", textCol, "The cost of putting the control in place: Low, Moderate or High."),
		col("userImpact", textCol, "The control's impact on users: Low, Moderate or High."),
		col("remediation", textCol, "How to put the control in place."),
		col("remediationImpact", textCol, "What putting the control in place changes for users."),
		col("deprecated", boolCol, "Whether the control is deprecated."),
		col("lastModifiedDateTime", timeCol, "When the control was last changed."),
		col("threats", jsonCol, "The threats the control mitigates, such as AccountBreach or Phishing."),
		col("complianceInformation", jsonCol, "The compliance certifications and controls the control supports."),
		col("controlStateUpdates", jsonCol, "The history of the control's state set by the tenant (ignored, thirdParty, reviewed)."),
		col("vendorInformation", jsonCol, "The provider of the control (provider, vendor, providerVersion, subProvider)."),
	},
}
