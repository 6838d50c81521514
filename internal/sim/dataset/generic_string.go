package dataset

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// str wraps a string-valued function as a generator.
func str(f func(c *rowCtx) string) gen { return func(c *rowCtx) engine.Value { return f(c) } }

// stringGen produces string columns from name patterns, using the row's
// entities so that related columns agree.
func stringGen(t *schema.Table, name string) gen {
	for _, family := range []func(string) gen{accountGen, processStringGen, fileGen, networkGen, deviceGen, threatGen, cloudGen, registryGen} {
		if g := family(name); g != nil {
			return g
		}
	}
	if vals, ok := vocab[name]; ok {
		return str(func(c *rowCtx) string { return pick(&c.r, vals) })
	}
	if name == "ActionType" {
		acts := actionTypes[t.Name]
		if len(acts) == 0 {
			acts = []string{"Created", "Modified", "Deleted", "Accessed"}
		}
		return str(func(c *rowCtx) string { return pick(&c.r, acts) })
	}
	return miscGen(name)
}

// accountOf picks the principal a column prefix refers to.
func accountOf(prefix string) func(c *rowCtx) *account {
	switch {
	case prefix == "InitiatingProcess":
		return func(c *rowCtx) *account {
			if p := c.initiating(); p != nil {
				return p.acct
			}
			return c.u.acct
		}
	case anyPrefix(prefix, "Target", "Request", "Source", "Destination", "LastModif", "Creator", "Owner", "FileOwner", "Originator", "ActivityInitiator"):
		return func(c *rowCtx) *account { return c.d.t.Users[(c.i*13+len(prefix))%36].acct }
	}
	return func(c *rowCtx) *account {
		if c.p != nil {
			return c.p.acct
		}
		return c.u.acct
	}
}

// accountGen covers Account*, *Upn, *Sid and similar principal columns.
func accountGen(col string) gen {
	switch col {
	case "SenderObjectId", "RecipientObjectId":
		who := accountOf(strings.TrimSuffix(col, "ObjectId"))
		return func(c *rowCtx) engine.Value { return who(c).v.ObjectID }
	}
	upn := func(a *account) engine.Value { return a.v.UPN }
	name := func(a *account) engine.Value { return a.v.Name }
	sid := func(a *account) engine.Value { return a.v.SID }
	oid := func(a *account) engine.Value { return a.v.ObjectID }
	display := func(a *account) engine.Value { return a.v.Display }
	fields := []struct {
		suffix string
		get    func(a *account) engine.Value
	}{
		{"AccountUpn", upn},
		{"AccountName", name},
		{"AccountDomain", func(a *account) engine.Value { return a.v.Domain }},
		{"AccountSid", sid},
		{"AccountObjectId", oid},
		{"AccountDisplayName", display},
		{"AccountId", oid},
		{"AccountEmail", upn},
		{"UserSid", sid},
		{"UserName", name},
		{"UserDomainName", func(a *account) engine.Value { return strings.ToUpper(a.Domain) }},
		{"Upn", upn},
		{"Upns", upn},
		{"EmailAddress", upn},
		{"DisplayName", display},
	}
	for _, f := range fields {
		if !strings.HasSuffix(col, f.suffix) || strings.Contains(col, "Device") || strings.Contains(col, "Resource") ||
			strings.Contains(col, "Node") {
			continue
		}
		who, get := accountOf(strings.TrimSuffix(col, f.suffix)), f.get
		return func(c *rowCtx) engine.Value { return get(who(c)) }
	}
	return nil
}

// processStringGen covers the string columns of the process, initiating
// process and its parent.
func processStringGen(name string) gen {
	var who func(c *rowCtx) *proc
	rest := name
	switch {
	case strings.HasPrefix(name, "InitiatingProcessParent"):
		who, rest = (*rowCtx).initiatingParent, strings.TrimPrefix(name, "InitiatingProcessParent")
	case strings.HasPrefix(name, "InitiatingProcess"):
		who, rest = (*rowCtx).initiating, strings.TrimPrefix(name, "InitiatingProcess")
	case strings.HasPrefix(name, "Process"):
		who, rest = (*rowCtx).process, strings.TrimPrefix(name, "Process")
	default:
		return nil
	}
	var f func(p *proc) engine.Value
	switch rest {
	case "FileName", "Name":
		f = func(p *proc) engine.Value { return p.img.v.Name }
	case "FolderPath":
		f = func(p *proc) engine.Value { return p.img.v.Path }
	case "SHA1":
		f = func(p *proc) engine.Value { return p.img.v.SHA1 }
	case "SHA256":
		f = func(p *proc) engine.Value { return p.img.v.SHA256 }
	case "MD5":
		f = func(p *proc) engine.Value { return p.img.v.MD5 }
	case "CommandLine":
		f = func(p *proc) engine.Value { return p.cmd }
	case "IntegrityLevel":
		f = func(p *proc) engine.Value { return p.integrity }
	case "TokenElevation":
		f = func(p *proc) engine.Value { return p.elevation }
	case "VersionInfoCompanyName":
		f = func(p *proc) engine.Value { return p.img.v.Company }
	case "VersionInfoProductName":
		f = func(p *proc) engine.Value { return p.img.v.Product }
	case "VersionInfoProductVersion":
		f = func(p *proc) engine.Value { return p.img.v.Version }
	case "VersionInfoInternalFileName":
		f = func(p *proc) engine.Value { return p.img.v.Internal }
	case "VersionInfoOriginalFileName":
		f = func(p *proc) engine.Value { return p.img.v.Original }
	case "VersionInfoFileDescription":
		f = func(p *proc) engine.Value { return p.img.v.Description }
	case "SignerType":
		f = func(p *proc) engine.Value { return p.img.v.Signer }
	case "SignatureStatus":
		f = func(p *proc) engine.Value { return p.img.v.SignatureStat }
	case "UniqueId":
		f = func(p *proc) engine.Value { return strconv.FormatInt(p.uniq, 10) }
	case "RemoteSessionDeviceName":
		f = func(p *proc) engine.Value {
			if p.remote {
				return "LAPTOP-" + strings.ToUpper(p.dev.ID[:7])
			}
			return ""
		}
	case "RemoteSessionIP":
		f = func(p *proc) engine.Value {
			if p.remote {
				return "10.20.40." + strconv.Itoa(int(p.pid%200)+20)
			}
			return ""
		}
	default:
		return nil
	}
	return func(c *rowCtx) engine.Value {
		if p := who(c); p != nil {
			return f(p)
		}
		return ""
	}
}

// fileGen covers the file a row is about.
func fileGen(name string) gen {
	file := func(c *rowCtx) *image {
		if c.f == nil {
			c.f = pick(&c.r, windowsImages)
		}
		return c.f
	}
	switch name {
	case "FileName", "PreviousFileName", "ObjectName":
		return func(c *rowCtx) engine.Value { return file(c).v.Name }
	case "FolderPath", "PreviousFolderPath", "TargetFilePath", "Path":
		return func(c *rowCtx) engine.Value { return file(c).v.Path }
	case "SHA1":
		return func(c *rowCtx) engine.Value { return file(c).v.SHA1 }
	case "SHA256":
		return func(c *rowCtx) engine.Value { return file(c).v.SHA256 }
	case "MD5":
		return func(c *rowCtx) engine.Value { return file(c).v.MD5 }
	case "FileType":
		return str(func(c *rowCtx) string {
			n := file(c).Name
			return strings.ToLower(n[strings.LastIndexByte(n, '.')+1:])
		})
	}
	switch {
	case strings.HasSuffix(name, "SHA256") || strings.HasSuffix(name, "Sha256") || name == "ImageDigest":
		return str(func(c *rowCtx) string { return c.r.hex(64) })
	case strings.HasSuffix(name, "SHA1") || strings.HasSuffix(name, "Hash") || name == "Thumbprint":
		return str(func(c *rowCtx) string { return c.r.hex(40) })
	case strings.HasSuffix(name, "MD5"):
		return str(func(c *rowCtx) string { return c.r.hex(32) })
	}
	return nil
}

// networkGen covers addresses, ports, urls and domains.
func networkGen(name string) gen {
	switch name {
	case "LocalIP":
		return func(c *rowCtx) engine.Value { return c.dev.v.LocalIP }
	case "PublicIP":
		return func(c *rowCtx) engine.Value { return c.dev.v.PublicIP }
	case "RemoteIP", "FileOriginIP", "DestinationIPAddress":
		return str(func(c *rowCtx) string { return c.ep.IP })
	case "RemoteUrl", "FileOriginUrl", "Url", "RequestUri", "SiteUrl", "CallJoinUrl":
		return str(func(c *rowCtx) string { return "https://" + c.ep.Domain + "/" + pick(&c.r, words) })
	case "FileOriginReferrerUrl":
		return str(func(c *rowCtx) string { return "https://" + pick(&c.r, remoteEndpoints).Domain + "/" })
	case "UrlDomain", "SourceUrlDomain", "TargetUrlDomain", "DnsQuery":
		return str(func(c *rowCtx) string { return c.ep.Domain })
	case "RemoteIPType", "LocalIPType":
		return str(func(c *rowCtx) string {
			if name == "LocalIPType" || strings.HasPrefix(c.ep.IP, "10.") {
				return "Private"
			}
			return "Public"
		})
	case "Protocol", "RequestProtocol":
		return str(func(c *rowCtx) string { return pick(&c.r, []string{"Tcp", "Tcp", "Udp", "Kerberos", "Ntlm", "Smb"}) })
	case "MacAddress":
		return str(func(c *rowCtx) string { return c.dev.MAC })
	}
	switch {
	case hasAny(name, "IPAddress", "IpAddress", "SenderIPv4", "RequestSourceIP", "SessionIP") || strings.HasSuffix(name, "IP"):
		return str(func(c *rowCtx) string { return c.pl.IPPrefix + strconv.Itoa(int(c.i%200)+20) })
	case strings.HasSuffix(name, "IPv6"):
		return str(func(c *rowCtx) string { return "2001:db8:" + c.r.hex(4) + "::" + c.r.hex(3) })
	case strings.HasSuffix(name, "Url") || strings.HasSuffix(name, "Urls"):
		return str(func(c *rowCtx) string {
			return "https://" + pick(&c.r, remoteEndpoints).Domain + "/" + pick(&c.r, words)
		})
	case strings.HasSuffix(name, "Domain") || strings.HasSuffix(name, "Domains") || strings.HasSuffix(name, "DomainName"):
		return str(func(c *rowCtx) string {
			if hasAny(name, "External", "Unallowed", "Target") {
				return pick(&c.r, remoteEndpoints).Domain
			}
			return mailDomain
		})
	}
	return nil
}

// deviceGen covers device identity and platform columns.
func deviceGen(name string) gen {
	other := func(c *rowCtx) *device { return c.d.t.Devices[(c.i*7+3)%len(c.d.t.Devices)] }
	switch name {
	case "DeviceId", "HostDeviceId", "SourceDeviceId":
		return func(c *rowCtx) engine.Value { return c.dev.v.ID }
	case "TargetDeviceId", "MergedToDeviceId":
		return str(func(c *rowCtx) string { return other(c).ID })
	case "AadDeviceId", "EntraIdDeviceId":
		return func(c *rowCtx) engine.Value { return c.dev.v.AadID }
	case "DeviceName", "HostName", "SourceDeviceName":
		return func(c *rowCtx) engine.Value { return c.dev.v.Name }
	case "RemoteDeviceName", "TargetDeviceName", "DestinationDeviceName", "RemoteSessionDeviceName":
		return str(func(c *rowCtx) string { return other(c).Name })
	case "OSPlatform", "Platform":
		return func(c *rowCtx) engine.Value { return c.dev.v.OS }
	case "OSVersion":
		return func(c *rowCtx) engine.Value { return c.dev.v.OSVersion }
	case "OSArchitecture":
		return str(func(c *rowCtx) string { return c.dev.Arch })
	case "OSDistribution":
		return str(func(c *rowCtx) string { return c.dev.Distribution })
	case "DeviceType":
		return str(func(c *rowCtx) string { return c.dev.Type })
	case "Model":
		return str(func(c *rowCtx) string { return c.dev.Model })
	case "Vendor":
		return str(func(c *rowCtx) string { return c.dev.Vendor })
	case "MachineGroup":
		return str(func(c *rowCtx) string { return c.dev.Group })
	}
	return nil
}

var (
	severities  = []string{"Informational", "Low", "Low", "Medium", "Medium", "High"}
	categories  = []string{"Execution", "InitialAccess", "CredentialAccess", "Persistence", "Discovery", "CommandAndControl", "Exfiltration", "SuspiciousActivity"}
	techniques  = []string{`["PowerShell (T1059.001)"]`, `["Phishing (T1566)","Spearphishing Link (T1566.002)"]`, `["Brute Force (T1110)","Password Spraying (T1110.003)"]`, `["Scheduled Task (T1053.005)"]`, `["Ingress Tool Transfer (T1105)"]`, `[]`}
	sources     = []string{"Microsoft Defender for Endpoint", "Microsoft Defender for Office 365", "Microsoft Defender for Identity", "Microsoft Defender for Cloud Apps", "Microsoft Entra ID Protection"}
	detections  = []string{"EDR", "Antivirus", "Custom detection", "Microsoft Defender XDR", "Automated investigation"}
	threatNames = []string{"Trojan:Win32/Wacatac.B!ml", "Phish:HTML/CredHarvest.A", "TrojanDownloader:PowerShell/Bynoco", "Backdoor:Linux/Mirai.B"}
)

// threatGen covers alert and detection vocabulary.
func threatGen(name string) gen {
	switch name {
	case "Severity":
		return str(func(c *rowCtx) string { return pick(&c.r, severities) })
	case "Category", "Categories":
		return str(func(c *rowCtx) string {
			if name == "Categories" {
				return `["` + pick(&c.r, categories) + `"]`
			}
			return pick(&c.r, categories)
		})
	case "AttackTechniques":
		return str(func(c *rowCtx) string { return pick(&c.r, techniques) })
	case "ServiceSource":
		return str(func(c *rowCtx) string { return pick(&c.r, sources) })
	case "DetectionSource":
		return str(func(c *rowCtx) string { return pick(&c.r, detections) })
	case "ThreatTypes":
		return str(func(c *rowCtx) string {
			if c.r.chance(0.85) {
				return ""
			}
			return pick(&c.r, []string{"Phish", "Malware", "Spam", "Phish, Malware"})
		})
	case "ThreatNames", "ThreatFamily":
		return str(func(c *rowCtx) string {
			if c.r.chance(0.7) {
				return ""
			}
			return pick(&c.r, threatNames)
		})
	case "DetectionMethods":
		return str(func(c *rowCtx) string {
			if c.r.chance(0.7) {
				return ""
			}
			return pick(&c.r, []string{`{"Phish":["URL detonation reputation"]}`, `{"Malware":["File detonation"]}`, `{"Spam":["Advanced filter"]}`})
		})
	case "Title":
		return str(func(c *rowCtx) string { return pick(&c.r, alertTitles).Title })
	}
	return nil
}

// cloudGen covers cloud resources, containers and geography.
func cloudGen(name string) gen {
	sub := "3f2b6c1e-8d4a-4f7e-9a21-6c5d0e7b8a90"
	switch name {
	case "SubscriptionId", "AzureVmSubscriptionId":
		return str(func(c *rowCtx) string { return sub })
	case "AzureResourceId", "ResourceId", "ResourceID":
		return str(func(c *rowCtx) string {
			return "/subscriptions/" + sub + "/resourceGroups/rg-" + pick(&c.r, []string{"logistics-prod", "web", "data"}) +
				"/providers/Microsoft.Compute/virtualMachines/vm-" + pick(&c.r, words)
		})
	case "AwsResourceName":
		return str(func(c *rowCtx) string { return "arn:aws:ec2:eu-west-1:123456789012:instance/i-0" + c.r.hex(16) })
	case "GcpFullResourceName":
		return str(func(c *rowCtx) string {
			return "//compute.googleapis.com/projects/larkspur-analytics/zones/europe-west2-a/instances/etl-" + pick(&c.r, words)
		})
	case "Region", "Location":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{"uksouth", "westeurope", "eu-west-1", "europe-west2"})
		})
	case "KubernetesNamespace":
		return str(func(c *rowCtx) string { return pick(&c.r, []string{"default", "shipping", "kube-system", "billing"}) })
	case "KubernetesPodName":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{"tracker", "billing-api", "coredns"}) + "-" + c.r.hex(10) + "-" + c.r.hex(5)
		})
	case "KubernetesResource":
		return str(func(c *rowCtx) string {
			return "deployments/" + pick(&c.r, []string{"tracker", "billing-api", "coredns"})
		})
	case "ContainerName":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{"tracker", "billing-api", "coredns", "nginx-sidecar"})
		})
	case "ContainerId":
		return str(func(c *rowCtx) string { return c.r.hex(64) })
	case "ImageName", "ContainerImageName":
		return str(func(c *rowCtx) string {
			return "acrlarkspur.azurecr.example/" + pick(&c.r, []string{"tracker:1.8.2", "billing-api:2024.05", "nginx:1.25"})
		})
	case "Country", "CountryCode":
		return str(func(c *rowCtx) string { return c.pl.Country })
	case "CountryName":
		return str(func(c *rowCtx) string { return c.pl.CountryName })
	case "State", "ProvinceName":
		return str(func(c *rowCtx) string { return c.pl.State })
	case "City", "CityName":
		return str(func(c *rowCtx) string { return c.pl.City })
	case "Latitude":
		return str(func(c *rowCtx) string { return c.pl.Lat })
	case "Longitude":
		return str(func(c *rowCtx) string { return c.pl.Long })
	case "Isp", "ISP":
		return str(func(c *rowCtx) string { return c.pl.ISP })
	case "UserAgent", "UserAgentHeader":
		return str(func(c *rowCtx) string { return pick(&c.r, userAgents) })
	case "Browser":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{"Edge 124.0.0", "Chrome 118.0.0", "Safari 17.4", "Rich Client 5.2.0"})
		})
	case "ClientAppUsed":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{"Browser", "Browser", "Mobile Apps and Desktop clients", "Exchange ActiveSync"})
		})
	case "Application", "ApplicationNames":
		return str(func(c *rowCtx) string { return pick(&c.r, cloudApps).Name })
	case "ApplicationId", "OAuthApplicationId", "OAuthAppId", "AccountApplicationId":
		return str(func(c *rowCtx) string { return pick(&c.r, cloudApps).ID })
	case "ResourceDisplayName":
		return str(func(c *rowCtx) string { return pick(&c.r, cloudApps).Name })
	case "ResourceTenantId", "TenantId", "AppOwnerTenantId", "SourceProviderInstanceId":
		return str(func(c *rowCtx) string { return c.d.t.TenantID })
	}
	return nil
}

// registryGen covers registry keys and values.
func registryGen(name string) gen {
	switch name {
	case "RegistryKey":
		return str(func(c *rowCtx) string { return pick(&c.r, registryKeys) })
	case "RegistryValueType":
		return str(func(c *rowCtx) string { return pick(&c.r, []string{"String", "Dword", "ExpandString", "Binary"}) })
	case "RegistryValueName":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{"OneDriveSync", "DisableRealtimeMonitoring", "Start", "(Default)", ""})
		})
	case "RegistryValueData":
		return str(func(c *rowCtx) string {
			return pick(&c.r, []string{`"C:\Users\Public\updater.exe" /silent`, "1", "4", "0x00000002", ""})
		})
	}
	return nil
}

// miscGen is the fallback for strings: ids become GUIDs, names and
// descriptions become readable phrases.
func miscGen(name string) gen {
	switch {
	case strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "Guid") || strings.HasSuffix(name, "ID"):
		return str(func(c *rowCtx) string { return c.r.guid() })
	case strings.HasSuffix(name, "Ids"):
		return str(func(c *rowCtx) string { return `["` + c.r.guid() + `"]` })
	case strings.HasSuffix(name, "Subject"):
		return str(func(c *rowCtx) string { return pick(&c.r, subjects) })
	case hasAny(name, "Description", "Reason", "Details", "Rationale"):
		return str(func(c *rowCtx) string {
			return fmt.Sprintf("%s %s check for %s", capitalize(pick(&c.r, words)), pick(&c.r, words), orgName)
		})
	case hasAny(name, "Version"):
		return str(func(c *rowCtx) string {
			return fmt.Sprintf("%d.%d.%d", c.r.between(1, 12), c.r.between(0, 30), c.r.between(0, 9999))
		})
	case hasAny(name, "Time", "Date"):
		return str(func(c *rowCtx) string { return c.t.Add(-day).Format("2006-01-02T15:04:05Z") })
	case hasAny(name, "Type", "Status", "Level", "Kind", "Result", "Mode", "Role", "State", "Direction", "Source", "Subtype"):
		vals := []string{"Primary", "Secondary", "Unknown", "Enabled", "Disabled"}
		return str(func(c *rowCtx) string { return pick(&c.r, vals) })
	case strings.HasSuffix(name, "Name"):
		return str(func(c *rowCtx) string { return capitalize(pick(&c.r, words)) + " " + capitalize(pick(&c.r, words)) })
	}
	prefix := strings.ToLower(name[:1]) + name[1:]
	return str(func(c *rowCtx) string { return prefix + "-" + pick(&c.r, words) + "-" + strconv.Itoa(c.r.intn(100)) })
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(w string) string { return strings.ToUpper(w[:1]) + w[1:] }
