package sim

import (
	"regexp"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// techniqueID finds MITRE technique ids in AlertInfo.AttackTechniques.
var techniqueID = regexp.MustCompile(`\((T\d{4}(?:\.\d{3})?)\)`)

// evidenceOf turns one AlertEvidence row into Graph's polymorphic
// alertEvidence, and returns the times of the process events it points
// at (for the alert's activity window).
func evidenceOf(col func(string) engine.Value, devices map[string]*deviceFacts, procTimes map[string][]time.Time) (map[string]any, []time.Time) {
	kind := text(col("EntityType"))
	role := text(col("EvidenceRole"))
	created, _ := col("Timestamp").(time.Time)
	ev := map[string]any{
		"createdDateTime": graphTime(created), "verdict": "suspicious", "remediationStatus": "none",
		"remediationStatusDetails": nil, "roles": []string{}, "detailedRoles": []string{}, "tags": []string{},
	}
	if role == "Impacted" {
		ev["roles"] = []string{"impacted"}
	}
	devID := text(col("DeviceId"))
	device := func() {
		ev["mdeDeviceId"] = orNull(devID)
	}
	var times []time.Time
	switch kind {
	case "Machine":
		ev["@odata.type"] = "#microsoft.graph.security.deviceEvidence"
		device()
		f := devices[devID]
		if f == nil {
			f = &deviceFacts{}
		}
		ev["deviceDnsName"] = orNull(text(col("DeviceName")))
		ev["azureAdDeviceId"] = orNull(f.aadID)
		ev["osPlatform"] = orNull(f.os)
		ev["vmMetadata"] = nil
		if f.vmID != "" {
			ev["vmMetadata"] = map[string]any{"vmId": f.vmID, "cloudProvider": "azure", "resourceId": nil, "subscriptionId": nil}
		}
	case "User":
		ev["@odata.type"] = "#microsoft.graph.security.userEvidence"
		ev["userAccount"] = userAccount(col)
	case "Mailbox":
		ev["@odata.type"] = "#microsoft.graph.security.mailboxEvidence"
		ev["primaryAddress"] = orNull(text(col("AccountUpn")))
		ev["userAccount"] = userAccount(col)
	case "Process":
		ev["@odata.type"] = "#microsoft.graph.security.processEvidence"
		device()
		cmd := text(col("ProcessCommandLine"))
		ev["processCommandLine"] = orNull(cmd)
		ev["imageFile"] = fileDetails(col)
		times = procTimes[devID+"\x00"+cmd]
		ev["processCreationDateTime"] = nil
		if len(times) > 0 {
			ev["processCreationDateTime"] = graphTime(times[0])
		}
	case "File":
		ev["@odata.type"] = "#microsoft.graph.security.fileEvidence"
		device()
		ev["fileDetails"] = fileDetails(col)
	case "RegistryValue":
		ev["@odata.type"] = "#microsoft.graph.security.registryValueEvidence"
		device()
		ev["registryKey"] = orNull(text(col("RegistryKey")))
		ev["registryValueName"] = orNull(text(col("RegistryValueName")))
		ev["registryValue"] = orNull(text(col("RegistryValueData")))
	case "MailMessage":
		ev["@odata.type"] = "#microsoft.graph.security.analyzedMessageEvidence"
		ev["networkMessageId"] = orNull(text(col("NetworkMessageId")))
		ev["subject"] = orNull(text(col("EmailSubject")))
	case "Url":
		ev["@odata.type"] = "#microsoft.graph.security.urlEvidence"
		ev["url"] = orNull(text(col("RemoteUrl")))
	case "Ip":
		ev["@odata.type"] = "#microsoft.graph.security.ipEvidence"
		ev["ipAddress"] = orNull(text(col("RemoteIP")))
	case "CloudApplication":
		ev["@odata.type"] = "#microsoft.graph.security.cloudApplicationEvidence"
		ev["displayName"] = orNull(text(col("Application")))
		ev["appId"] = col("ApplicationId")
	case "AzureResource":
		ev["@odata.type"] = "#microsoft.graph.security.azureResourceEvidence"
		ev["resourceId"] = orNull(text(col("ResourceID")))
		ev["resourceType"] = orNull(text(col("ResourceType")))
		ev["resourceName"] = orNull(text(col("CloudResource")))
	default:
		ev["@odata.type"] = "#microsoft.graph.security.alertEvidence"
	}
	return ev, times
}

func userAccount(col func(string) engine.Value) map[string]any {
	return map[string]any{
		"accountName": orNull(text(col("AccountName"))), "domainName": orNull(text(col("AccountDomain"))),
		"userSid": orNull(text(col("AccountSid"))), "azureAdUserId": orNull(text(col("AccountObjectId"))),
		"userPrincipalName": orNull(text(col("AccountUpn"))), "displayName": nil,
	}
}

func fileDetails(col func(string) engine.Value) map[string]any {
	return map[string]any{
		"fileName": orNull(text(col("FileName"))), "filePath": orNull(text(col("FolderPath"))),
		"sha1": orNull(text(col("SHA1"))), "sha256": orNull(text(col("SHA256"))), "fileSize": col("FileSize"),
	}
}
