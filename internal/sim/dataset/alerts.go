package dataset

import (
	"strconv"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// alertKind says what evidence an alert carries.
type alertKind int

const (
	kindProcess alertKind = iota
	kindMail
	kindSignIn
	kindNetwork
	kindCloud
)

// alertSpec is a kind of alert the tenant sees.
type alertSpec struct {
	Title, Category, Severity, Source, Detection, Techniques, Prefix string
	Kind                                                             alertKind
}

var alertTitles = []alertSpec{
	{"Suspicious PowerShell command line", "Execution", "High", "Microsoft Defender for Endpoint", "EDR", `["PowerShell (T1059.001)"]`, "da", kindProcess},
	{"Email messages containing malicious URL removed after delivery", "InitialAccess", "Medium", "Microsoft Defender for Office 365", "Microsoft Defender for Office 365", `["Phishing (T1566)","Spearphishing Link (T1566.002)"]`, "fa", kindMail},
	{"Password spray", "CredentialAccess", "High", "Microsoft Entra ID Protection", "Microsoft Entra ID Protection", `["Password Spraying (T1110.003)"]`, "ad", kindSignIn},
	{"Communication with a rare external host", "CommandAndControl", "Medium", "Microsoft Defender for Endpoint", "EDR", `["Application Layer Protocol (T1071)"]`, "da", kindNetwork},
	{"'Wacatac' malware was prevented", "Malware", "Informational", "Microsoft Defender for Endpoint", "Antivirus", `[]`, "da", kindProcess},
	{"Suspicious scheduled task", "Persistence", "Medium", "Microsoft Defender for Endpoint", "EDR", `["Scheduled Task (T1053.005)"]`, "da", kindProcess},
	{"User and IP address reconnaissance (SMB)", "Discovery", "Low", "Microsoft Defender for Identity", "Microsoft Defender for Identity", `["Account Discovery (T1087)"]`, "aa", kindNetwork},
	{"Mass download by a single user", "Exfiltration", "Low", "Microsoft Defender for Cloud Apps", "Microsoft Defender for Cloud Apps", `[]`, "ca", kindSignIn},
	{"Storage account keys listed from an unusual location", "CredentialAccess", "Medium", "Microsoft Defender for Cloud", "Microsoft Defender for Cloud", `["Unsecured Credentials (T1552)"]`, "cd", kindCloud},
}

// alert is row a of AlertInfo.
type alert struct {
	ID   string
	Spec *alertSpec
	Time time.Time
	Dev  *device
	User *user
	Mail *mail
	Proc proc
}

var (
	keyAlertInfo = keyOf("AlertInfo")
	keyAlert     = keyOf("alert")
)

// alertOf builds alert a. Alerts 0, 1 and 2 (and every 11th after each)
// tell the planted stories: the encoded PowerShell, the clicked phish and
// the password spray.
func (d *Dataset) alertOf(a int) *alert {
	r := newRng(d.seed, keyAlert, a)
	al := &alert{Time: d.timeOf(keyAlertInfo, a)}
	switch a % 11 {
	case 0:
		al.Spec = &alertTitles[0]
	case 1:
		al.Spec = &alertTitles[1]
	case 2:
		al.Spec = &alertTitles[2]
	default:
		al.Spec = &alertTitles[3+r.intn(len(alertTitles)-3)]
	}
	al.ID = al.Spec.Prefix + strconv.FormatInt(r.between(638000000000000000, 638999999999999999), 10) +
		"_" + strconv.FormatInt(int64(int32(r.next())), 10)
	al.Dev = d.t.slots[r.intn(len(d.t.slots))]
	al.User = al.Dev.Primary
	switch al.Spec.Kind {
	case kindProcess:
		j := 5
		if a%11 != 0 || d.rows["DeviceProcessEvents"] <= j {
			j = r.intn(max(d.rows["DeviceProcessEvents"], 1))
		}
		d.procOf(j, &al.Proc)
		al.Dev = al.Proc.dev
		if al.Proc.acct.UPN != "" {
			al.User = al.Dev.Primary
		}
	case kindMail:
		n := d.rows["EmailEvents"]
		k := 7
		if n > 7 {
			k += 23 * r.intn((n-8)/23+1)
		}
		al.Mail = d.mailOf(k)
		al.User = al.Mail.To
	case kindSignIn:
		al.User = d.t.Victims[r.intn(len(d.t.Victims))]
	}
	return al
}

// evidenceTypes lists the entities each alert kind points at.
var evidenceTypes = map[alertKind][]string{
	kindProcess: {"Machine", "User", "Process", "File", "RegistryValue"},
	kindMail:    {"MailMessage", "User", "Url", "Mailbox"},
	kindSignIn:  {"User", "Ip", "CloudApplication"},
	kindNetwork: {"Machine", "Ip", "Url", "Process"},
	kindCloud:   {"AzureResource", "User", "Ip"},
}

// gatedCols says which AlertEvidence columns each entity type fills; the
// rest stay empty, as in Defender.
var gatedCols = map[string][]string{
	"FileName": {"File", "Process"}, "FolderPath": {"File", "Process"}, "SHA1": {"File", "Process"},
	"SHA256": {"File", "Process"}, "FileSize": {"File"}, "ThreatFamily": {"File"},
	"RemoteIP": {"Ip"}, "RemoteUrl": {"Url"},
	"AccountName": {"User"}, "AccountDomain": {"User"}, "AccountSid": {"User"}, "AccountObjectId": {"User", "Mailbox"},
	"AccountUpn": {"User", "Mailbox"}, "DeviceId": {"Machine", "Process", "File"}, "DeviceName": {"Machine", "Process", "File"},
	"LocalIP": {"Machine"}, "NetworkMessageId": {"MailMessage"}, "EmailSubject": {"MailMessage"},
	"Application": {"CloudApplication"}, "ApplicationId": {"CloudApplication"}, "OAuthApplicationId": {"CloudApplication"},
	"ProcessCommandLine": {"Process"}, "RegistryKey": {"RegistryValue"}, "RegistryValueName": {"RegistryValue"},
	"RegistryValueData": {"RegistryValue"}, "CloudResource": {"AzureResource"}, "CloudPlatform": {"AzureResource"},
	"ResourceType": {"AzureResource"}, "ResourceID": {"AzureResource"}, "SubscriptionId": {"AzureResource"},
}

// gate wraps a generator so it yields a value only for the given entity
// types, and an empty string or null otherwise.
func gate(types []string, t schema.Type, g gen) gen {
	return func(c *rowCtx) engine.Value {
		et, _ := c.item.(string)
		for _, x := range types {
			if x == et {
				return g(c)
			}
		}
		if t == schema.String {
			return ""
		}
		return nil
	}
}

func init() {
	alertCols := map[string]gen{
		"AlertId":          func(c *rowCtx) engine.Value { return c.al.ID },
		"Title":            func(c *rowCtx) engine.Value { return c.al.Spec.Title },
		"Category":         func(c *rowCtx) engine.Value { return c.al.Spec.Category },
		"Categories":       func(c *rowCtx) engine.Value { return `["` + c.al.Spec.Category + `"]` },
		"Severity":         func(c *rowCtx) engine.Value { return c.al.Spec.Severity },
		"ServiceSource":    func(c *rowCtx) engine.Value { return c.al.Spec.Source },
		"DetectionSource":  func(c *rowCtx) engine.Value { return c.al.Spec.Detection },
		"AttackTechniques": func(c *rowCtx) engine.Value { return c.al.Spec.Techniques },
	}
	setAlert := func(c *rowCtx, a int) {
		al := c.d.alertOf(a)
		c.al, c.t, c.dev, c.u, c.mail = al, al.Time, al.Dev, al.User, al.Mail
		if al.Spec.Kind == kindProcess {
			c.p = &al.Proc
			c.f = al.Proc.img
		}
		if al.Spec.Kind == kindNetwork {
			c.ep = endpoint{Domain: rareDomain, IP: rareIP, Port: 443}
		}
		if al.Spec.Kind == kindSignIn {
			c.pl = &attackPlaces[a%len(attackPlaces)]
		}
	}
	defs["AlertInfo"] = &tableDef{prep: func(c *rowCtx) { setAlert(c, c.i) }, cols: alertCols}

	st := schema.Lookup("AlertEvidence")
	ev := map[string]gen{}
	for k, v := range alertCols {
		ev[k] = v
	}
	for k, v := range mailCols {
		ev[k] = v
	}
	for _, col := range st.Columns {
		types, ok := gatedCols[col.Name]
		if !ok {
			continue
		}
		g := ev[col.Name]
		if g == nil {
			g = genericGen(st, col)
		}
		ev[col.Name] = gate(types, col.Type, g)
	}
	ev["ThreatFamily"] = gate([]string{"File"}, schema.String, str(func(c *rowCtx) string { return pick(&c.r, threatNames) }))
	ev["EntityType"] = func(c *rowCtx) engine.Value { return c.item.(string) }
	ev["EvidenceRole"] = func(c *rowCtx) engine.Value {
		if c.item.(string) == "User" || c.item.(string) == "Machine" || c.item.(string) == "Mailbox" {
			return "Impacted"
		}
		return "Related"
	}
	ev["EvidenceDirection"] = gate([]string{"Ip", "Url"}, schema.String, str(func(c *rowCtx) string { return pick(&c.r, []string{"Destination", "Source"}) }))
	defs["AlertEvidence"] = &tableDef{
		prep: func(c *rowCtx) {
			// Each alert has three evidence rows, one per entity.
			a := c.i / 3
			if na := c.d.rows["AlertInfo"]; na > 0 {
				a %= na
			}
			setAlert(c, a)
			// Rotate so that every entity type of the kind turns up.
			types := evidenceTypes[c.al.Spec.Kind]
			c.item = types[(c.i%3+a)%len(types)]
		},
		cols: ev,
	}
}
