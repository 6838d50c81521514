package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// mailStr builds a generator from a message field; rows without a message
// get an empty string.
func mailStr(f func(c *rowCtx, m *mail) string) gen {
	return func(c *rowCtx) engine.Value {
		if c.mail == nil {
			return ""
		}
		return f(c, c.mail)
	}
}

// mailCols are the columns shared by the email tables.
var mailCols = map[string]gen{
	"NetworkMessageId":      mailStr(func(_ *rowCtx, m *mail) string { return m.ID }),
	"InternetMessageId":     mailStr(func(_ *rowCtx, m *mail) string { return m.InternetID }),
	"SenderFromAddress":     mailStr(func(_ *rowCtx, m *mail) string { return m.fromAddress() }),
	"SenderMailFromAddress": mailStr(func(_ *rowCtx, m *mail) string { return m.fromAddress() }),
	"SenderDisplayName":     mailStr(func(_ *rowCtx, m *mail) string { return m.fromDisplay() }),
	"SenderFromDomain":      mailStr(func(_ *rowCtx, m *mail) string { return m.fromDomain() }),
	"SenderMailFromDomain":  mailStr(func(_ *rowCtx, m *mail) string { return m.fromDomain() }),
	"SenderIPv4":            mailStr(func(_ *rowCtx, m *mail) string { return m.fromIP() }),
	"SenderIPv6": mailStr(func(_ *rowCtx, m *mail) string {
		if m.From != nil && m.k%4 == 1 {
			return "2001:db8:5:" + strconv.Itoa(m.k%97) + "::25"
		}
		return ""
	}),
	"SenderObjectId": mailStr(func(_ *rowCtx, m *mail) string {
		if m.FromUser != nil {
			return m.FromUser.ObjectID
		}
		return ""
	}),
	"RecipientEmailAddress": mailStr(func(_ *rowCtx, m *mail) string { return m.To.UPN }),
	"RecipientObjectId":     mailStr(func(_ *rowCtx, m *mail) string { return m.To.ObjectID }),
	"Subject":               mailStr(func(_ *rowCtx, m *mail) string { return m.Subject }),
	"EmailSubject":          mailStr(func(_ *rowCtx, m *mail) string { return m.Subject }),
	"ThreatTypes":           mailStr(func(_ *rowCtx, m *mail) string { return m.ThreatTypes }),
	"DeliveryLocation":      mailStr(func(_ *rowCtx, m *mail) string { return m.Location }),
	"DetectionMethods": mailStr(func(_ *rowCtx, m *mail) string {
		switch {
		case m.Phish:
			return `{"Phish":["URL detonation reputation","Impersonation domain"]}`
		case m.ThreatTypes == "Malware":
			return `{"Malware":["File detonation"]}`
		case m.ThreatTypes == "Spam":
			return `{"Spam":["Bulk"]}`
		}
		return ""
	}),
	"ThreatNames": mailStr(func(_ *rowCtx, m *mail) string {
		if m.ThreatTypes == "Malware" || strings.Contains(m.ThreatTypes, "Malware") {
			return "Trojan:HTML/Phish.SA!MTB"
		}
		return ""
	}),
}

// withMail returns cols extended by the shared message columns.
func withMail(cols map[string]gen) map[string]gen {
	out := map[string]gen{}
	for k, v := range mailCols {
		out[k] = v
	}
	for k, v := range cols {
		out[k] = v
	}
	return out
}

// mailOrOwn picks a message with ok from EmailEvents, or falls back to
// message i so the row is still complete.
func (c *rowCtx) mailOrOwn(ok func(m *mail) bool) *mail {
	if m := c.mailWith(ok); m != nil {
		return m
	}
	return c.d.mailOf(c.i)
}

func hasURLs(m *mail) bool       { return len(m.URLs) > 0 }
func hasAttachment(m *mail) bool { return len(m.Attachments) > 0 }
func hasThreat(m *mail) bool     { return m.ThreatTypes != "" }
func fileHash(name string) string {
	s := sha256.Sum256([]byte("attachment:" + name))
	return hex.EncodeToString(s[:])
}

// after returns a time a little after t, never later than now.
func (c *rowCtx) after(t time.Time, max time.Duration) time.Time {
	u := t.Add(time.Duration(c.r.next()%uint64(max/tick)) * tick)
	if u.After(c.d.now) {
		return t
	}
	return u
}

func init() {
	defs["EmailEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			c.mail = c.d.mailOf(c.i)
			c.t, c.u = c.mail.Time, c.mail.To
		},
		cols: withMail(map[string]gen{
			"EmailClusterId":         func(c *rowCtx) engine.Value { return c.mail.ClusterID },
			"EmailDirection":         mailStr(func(_ *rowCtx, m *mail) string { return m.Direction }),
			"DeliveryAction":         mailStr(func(_ *rowCtx, m *mail) string { return m.Delivery }),
			"LatestDeliveryAction":   mailStr(func(_ *rowCtx, m *mail) string { return m.Delivery }),
			"LatestDeliveryLocation": mailStr(func(_ *rowCtx, m *mail) string { return m.Location }),
			"BulkComplaintLevel":     func(c *rowCtx) engine.Value { return c.mail.BulkLevel },
			"AttachmentCount":        func(c *rowCtx) engine.Value { return int64(len(c.mail.Attachments)) },
			"UrlCount":               func(c *rowCtx) engine.Value { return int64(len(c.mail.URLs)) },
			"ConfidenceLevel": mailStr(func(_ *rowCtx, m *mail) string {
				if m.ThreatTypes == "" {
					return ""
				}
				return `{"` + strings.SplitN(m.ThreatTypes, ",", 2)[0] + `":"High"}`
			}),
			"AuthenticationDetails": mailStr(func(c *rowCtx, m *mail) string {
				if m.Phish {
					return `{"SPF":"fail","DKIM":"none","DMARC":"fail","CompAuth":"fail"}`
				}
				return `{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}`
			}),
			"EmailLanguage": mailStr(func(c *rowCtx, _ *mail) string { return pick(&c.r, []string{"en", "en", "de", "fr", "es", "ru", "ja"}) }),
			"EmailAction": mailStr(func(_ *rowCtx, m *mail) string {
				if m.Location == "Junk folder" {
					return "Move message to junk mail folder"
				}
				return ""
			}),
			"EmailActionPolicy": mailStr(func(_ *rowCtx, m *mail) string {
				if m.BulkLevel > 0 {
					return "Bulk"
				}
				return ""
			}),
			"Connectors": mailStr(func(c *rowCtx, _ *mail) string { return pick(&c.r, []string{"", "", "Larkspur outbound relay"}) }),
			"OrgLevelAction": mailStr(func(c *rowCtx, m *mail) string {
				if m.Delivery == "Blocked" {
					return "Block"
				}
				return pick(&c.r, []string{"", "Allow"})
			}),
			"OrgLevelPolicy": mailStr(func(c *rowCtx, _ *mail) string {
				return pick(&c.r, []string{"", "Tenant allow list", "Anti-malware policy"})
			}),
			"UserLevelAction": mailStr(func(c *rowCtx, _ *mail) string { return pick(&c.r, []string{"", "", "Allow", "Block"}) }),
			"UserLevelPolicy": mailStr(func(c *rowCtx, _ *mail) string {
				return pick(&c.r, []string{"", "", "User safe senders list", "User blocked senders list"})
			}),
			"ReportId": mailStr(func(c *rowCtx, m *mail) string { return m.ID + "-" + strconv.Itoa(c.r.intn(1e6)) }),
		}),
	}
	defs["EmailUrlInfo"] = &tableDef{
		prep: func(c *rowCtx) {
			var m *mail
			if c.i%10 == 0 {
				m = c.phishMailNear()
			}
			if m == nil {
				m = c.mailOrOwn(hasURLs)
			}
			c.mail, c.t = m, m.Time
			c.item = ""
			if len(m.URLs) > 0 {
				c.item = m.URLs[c.r.intn(len(m.URLs))]
			}
		},
		cols: withMail(map[string]gen{
			"Url":         func(c *rowCtx) engine.Value { return c.item.(string) },
			"UrlDomain":   func(c *rowCtx) engine.Value { return urlHost(c.item.(string)) },
			"UrlLocation": str(func(c *rowCtx) string { return pick(&c.r, []string{"Body", "Body", "Attachment", "Header"}) }),
		}),
	}
	defs["UrlClickEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			var m *mail
			c.item = pick(&c.r, actionTypes["UrlClickEvents"])
			if c.i%6 == 0 {
				m = c.phishMailNear()
				c.item = "ClickAllowed"
			}
			if m == nil {
				m = c.mailOrOwn(hasURLs)
			}
			c.mail, c.u = m, m.To
			c.t = c.after(m.Time, 6*time.Hour)
			c.ep = endpoint{Domain: urlHost(firstURL(m)), IP: c.pl.IPPrefix + "20", Port: 443}
		},
		cols: withMail(map[string]gen{
			"ActionType":       func(c *rowCtx) engine.Value { return c.item.(string) },
			"Url":              mailStr(func(_ *rowCtx, m *mail) string { return firstURL(m) }),
			"AccountUpn":       mailStr(func(_ *rowCtx, m *mail) string { return m.To.UPN }),
			"Workload":         str(func(c *rowCtx) string { return "Email" }),
			"IsClickedThrough": func(c *rowCtx) engine.Value { return c.item.(string) == "ClickAllowed" },
			"UrlChain":         mailStr(func(_ *rowCtx, m *mail) string { return `[` + jsonQuote(firstURL(m)) + `]` }),
			"ReportId":         mailStr(func(c *rowCtx, m *mail) string { return c.r.guid() }),
		}),
	}
	defs["EmailAttachmentInfo"] = &tableDef{
		prep: func(c *rowCtx) {
			m := c.mailOrOwn(hasAttachment)
			c.mail, c.t = m, m.Time
			c.item = pick(&c.r, docNames)
			if len(m.Attachments) > 0 {
				c.item = m.Attachments[0]
			}
		},
		cols: withMail(map[string]gen{
			"FileName": func(c *rowCtx) engine.Value { return c.item.(string) },
			"FileType": func(c *rowCtx) engine.Value {
				n := c.item.(string)
				return n[strings.LastIndexByte(n, '.')+1:]
			},
			"SHA256":   func(c *rowCtx) engine.Value { return fileHash(c.item.(string)) },
			"ReportId": mailStr(func(c *rowCtx, m *mail) string { return m.ID + "-att" }),
		}),
	}
	defs["EmailPostDeliveryEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			m := c.mailOrOwn(hasThreat)
			c.mail, c.u = m, m.To
			c.t = c.after(m.Time, 2*time.Hour)
		},
		cols: withMail(map[string]gen{
			"ActionType": mailStr(func(c *rowCtx, m *mail) string {
				if strings.HasPrefix(m.ThreatTypes, "Phish") {
					return "Phish ZAP"
				}
				if m.ThreatTypes == "Malware" {
					return "Malware ZAP"
				}
				return pick(&c.r, []string{"Manual Remediation", "Redelivery"})
			}),
			"Action": str(func(c *rowCtx) string {
				return pick(&c.r, []string{"Moved to quarantine", "Moved to junk folder", "Soft delete"})
			}),
			"ActionTrigger": str(func(c *rowCtx) string {
				return pick(&c.r, []string{"SpecialAction", "AdminAction", "AutomatedInvestigation"})
			}),
			"ActionResult": str(func(c *rowCtx) string { return pick(&c.r, []string{"Success", "Success", "Error"}) }),
		}),
	}
	defs["CampaignInfo"] = &tableDef{
		prep: func(c *rowCtx) {
			m := c.phishMailNear()
			if m == nil {
				m = c.d.mailOf(c.i)
			}
			c.mail, c.t, c.u = m, m.Time, m.To
		},
		cols: withMail(map[string]gen{
			"CampaignName":    str(func(c *rowCtx) string { return "Larkspur credential harvest" }),
			"CampaignId":      str(func(c *rowCtx) string { return "9c1d8e2f-5b7a-4c3e-8f10-2a6b4d9e7c31" }),
			"CampaignType":    str(func(c *rowCtx) string { return "Credential Phish" }),
			"CampaignSubtype": str(func(c *rowCtx) string { return pick(&c.r, []string{"Microsoft 365 brand", "Document share"}) }),
			"ReportId":        mailStr(func(c *rowCtx, m *mail) string { return m.ID + "-campaign" }),
		}),
	}
}

func firstURL(m *mail) string {
	if len(m.URLs) == 0 {
		return ""
	}
	return m.URLs[0]
}

// urlHost returns the host part of an absolute URL.
func urlHost(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	if i := strings.IndexAny(u, "/?"); i >= 0 {
		return u[:i]
	}
	return u
}
