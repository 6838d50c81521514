package dataset

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// jsonQuote renders s as a JSON string literal.
func jsonQuote(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return string(b)
		}
	}
	return `"` + s + `"`
}

// jsonTextGen produces JSON documents held in string columns.
func jsonTextGen(t *schema.Table, name string) gen {
	switch name {
	case "LoggedOnUsers":
		return str(func(c *rowCtx) string {
			a := c.dev.Primary.acct
			return `[{"UserName":` + jsonQuote(a.Name) + `,"DomainName":"` + netbios + `","Sid":"` + a.SID + `"}]`
		})
	case "IPAddresses":
		return str(func(c *rowCtx) string {
			return `[{"IPAddress":"` + c.dev.LocalIP + `","SubnetPrefix":24,"AddressType":"Private"},{"IPAddress":"fe80::` + c.dev.ID[:4] + `:` + c.dev.ID[4:8] + `","SubnetPrefix":64,"AddressType":"LinkLocal"}]`
		})
	case "DnsAddresses":
		return str(func(c *rowCtx) string { return `["10.20.1.28","10.20.1.29"]` })
	case "DefaultGateways":
		return str(func(c *rowCtx) string {
			return `["` + c.dev.LocalIP[:strings.LastIndexByte(c.dev.LocalIP, '.')] + `.1"]`
		})
	case "ConnectedNetworks":
		return str(func(c *rowCtx) string {
			if c.dev.Server || c.r.chance(0.6) {
				return `[{"Name":"` + dnsSuffix + `","Description":"Corporate network","IsConnectedToInternet":true,"Category":"Domain"}]`
			}
			return `[{"Name":"Home-WiFi 5G","Description":"Home-WiFi 5G","IsConnectedToInternet":true,"Category":"Private"}]`
		})
	}
	return func(c *rowCtx) engine.Value { return pick(&c.r, c.dev.fields) }
}

// additionalFields builds the AdditionalFields texts seen on device d:
// empty, an empty object, flat and nested objects, arrays and a null member.
func additionalFields(d *device, u *user) []engine.Value {
	return []engine.Value{
		"",
		"{}",
		`{"IsLocalLogon":true,"Port":443}`,
		`{"IsLocalLogon":false,"Port":3389}`,
		`{"Tags":["freight","ledger"],"Count":7}`,
		`{"Source":{"Name":` + jsonQuote(d.Short) + `,"Ip":"` + d.LocalIP + `"},"Reason":null}`,
		`{"Description":` + jsonQuote("Reviewed by "+u.Display) + `,"Score":87.5}`,
		`[{"Name":"RuleId","Value":"` + d.ID[:8] + `"},{"Name":"Mode","Value":"Audit"}]`,
	}
}

// listLike reports whether a dynamic column holds an array.
func listLike(name string) bool {
	if hasAny(name, "Details", "Info", "Fields", "Data", "Properties", "Status", "Memory", "Context", "Source", "Value", "IssuedTo", "IssuedBy", "Publisher") {
		return false
	}
	return strings.HasSuffix(name, "s") || strings.HasSuffix(name, "List") || name == "OSPlatform" || name == "ExtensionVersion"
}

// dynamicGen produces dynamic columns: arrays for plural names, objects
// otherwise, with nesting and occasional JSON nulls inside.
func dynamicGen(name string) gen {
	if listLike(name) {
		return func(c *rowCtx) engine.Value {
			n := c.r.intn(4)
			out := make([]any, 0, n)
			for k := 0; k < n; k++ {
				out = append(out, listItem(c, name))
			}
			return engine.Dynamic{V: out}
		}
	}
	return func(c *rowCtx) engine.Value { return engine.Dynamic{V: objectFor(c, name)} }
}

func listItem(c *rowCtx, name string) any {
	switch {
	case hasAny(name, "Md5"):
		return c.r.hex(32)
	case hasAny(name, "Ids", "Groups", "Owners", "SharedWith"):
		return c.r.guid()
	case hasAny(name, "Roles"):
		return pick(&c.r, []string{"Global Reader", "Security Reader", "Helpdesk Administrator", "User Administrator"})
	case hasAny(name, "Mfas"):
		return pick(&c.r, []string{"MicrosoftAuthenticator", "Fido2", "Sms", "SoftwareOath"})
	case hasAny(name, "Addresses"):
		return pick(&c.r, []string{"smtp:", "SMTP:"}) + c.u.UPN
	case hasAny(name, "Paths"):
		return `C:\Program Files\` + capitalize(pick(&c.r, words)) + `\app.exe`
	case hasAny(name, "Tags", "Categories", "Levels", "Benchmarks"):
		return pick(&c.r, []string{"Sensitive", "VIP", "ExploitVerified", "Level 1", "CIS", "Internet facing"})
	case hasAny(name, "Operation"):
		return pick(&c.r, []string{"GetBlob", "ListBlobs", "PutBlob", "DeleteBlob"})
	case name == "OSPlatform":
		return pick(&c.r, []string{"Windows11", "Windows10", "WindowsServer2022"})
	}
	if c.r.chance(0.3) {
		return map[string]any{"Name": pick(&c.r, words), "Id": c.r.guid(), "Enabled": c.r.chance(0.5)}
	}
	return pick(&c.r, words) + "-" + strconv.Itoa(c.r.intn(10))
}

// objectFor builds a JSON object for a dynamic column.
func objectFor(c *rowCtx, name string) map[string]any {
	m := map[string]any{
		"Name":    pick(&c.r, words),
		"Count":   json.Number(strconv.Itoa(c.r.intn(500))),
		"Enabled": c.r.chance(0.7),
	}
	switch c.r.intn(4) {
	case 0:
		m["Source"] = map[string]any{"Device": c.dev.Name, "Ip": c.dev.LocalIP, "Ports": []any{json.Number("443"), json.Number("8443")}}
	case 1:
		m["Owner"] = nil
	case 2:
		m["Score"] = json.Number(strconv.FormatFloat(float64(c.r.intn(1000))/10, 'f', -1, 64))
		m["Labels"] = []any{"Confidential", "Finance"}
	default:
		m["User"] = c.u.UPN
	}
	if hasAny(name, "RawEventData", "Properties", "RawAgentInfo") {
		m["Workload"] = pick(&c.r, []string{"Exchange", "SharePoint", "AzureActiveDirectory"})
		m["Nested"] = map[string]any{"Level": map[string]any{"Depth": json.Number("2"), "Value": nil}}
	}
	return m
}
