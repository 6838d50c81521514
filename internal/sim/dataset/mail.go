package dataset

import (
	"strconv"
	"strings"
	"time"
)

// mail is one message: row k of EmailEvents. Other email tables refer to
// messages by k.
type mail struct {
	k                     int
	ID, InternetID        string
	From                  *sender // nil for internal senders
	FromUser              *user
	To                    *user
	Subject               string
	Direction             string
	ThreatTypes           string
	Delivery, Location    string
	Phish                 bool
	URLs                  []string
	Attachments           []string
	Time                  time.Time
	ClusterID             int64
	BulkLevel, Confidence int64
}

var (
	keyEmail = keyOf("EmailEvents")
	keyMail  = keyOf("mail-message")
)

// phishMail reports whether message k is a planted phishing email: message
// 7 and every 23rd after it.
func phishMail(k int) bool { return k%23 == 7 }

// mailOf builds message k.
func (d *Dataset) mailOf(k int) *mail {
	r := newRng(d.seed, keyMail, k)
	m := &mail{k: k, ID: r.guid(), Time: d.timeOf(keyEmail, k), ClusterID: r.between(1e11, 9e11)}
	humans := d.t.humans()
	m.To = pick(&r, humans)
	m.Direction, m.Delivery, m.Location = "Inbound", "Delivered", "Inbox/folder"
	switch v := r.intn(10); {
	case phishMail(k):
		m.Phish = true
		m.From = &d.t.Senders[2+k/23%3]
		m.To = humans[(k/23*5+4)%len(humans)]
		m.Subject = phishSubjects[(k/23)%len(phishSubjects)]
		m.ThreatTypes = "Phish"
		m.URLs = []string{"https://login-larkspur-verify.example/owa/auth.php?u=" + strings.SplitN(m.To.UPN, "@", 2)[0]}
	case v < 5:
		m.From = &d.t.Senders[pick(&r, []int{0, 1, 5, 6, 7})]
		m.Subject = pick(&r, subjects)
		if m.From.Bulk {
			m.BulkLevel, m.Location = r.between(6, 9), "Junk folder"
			m.ThreatTypes = "Spam"
		}
	case v < 9:
		m.FromUser = pick(&r, humans)
		m.Direction = "Intra-org"
		m.Subject = pick(&r, subjects)
	default:
		m.FromUser = pick(&r, humans)
		m.Direction = "Outbound"
		m.Subject = pick(&r, subjects)
	}
	if m.Direction == "Inbound" && !m.Phish && r.chance(0.04) {
		m.ThreatTypes, m.Delivery, m.Location = "Malware", "Blocked", "Quarantine"
	}
	if m.Phish && k%2 == 1 {
		m.ThreatTypes = "Phish, Malware"
	}
	if !m.Phish {
		for n := r.intn(3); n > 0; n-- {
			ep := pick(&r, remoteEndpoints)
			m.URLs = append(m.URLs, "https://"+ep.Domain+"/"+pick(&r, words)+"?id="+strconv.Itoa(r.intn(9999)))
		}
	}
	if r.chance(0.3) || m.ThreatTypes == "Malware" {
		m.Attachments = append(m.Attachments, pick(&r, docNames))
	}
	m.InternetID = "<" + m.ID[:8] + "." + strconv.Itoa(k) + "@" + m.fromDomain() + ">"
	m.Confidence = r.between(0, 2)
	return m
}

func (m *mail) fromAddress() string {
	if m.From != nil {
		return m.From.Address
	}
	return m.FromUser.UPN
}

func (m *mail) fromDisplay() string {
	if m.From != nil {
		return m.From.Display
	}
	return m.FromUser.Display
}

func (m *mail) fromDomain() string {
	if m.From != nil {
		return m.From.Domain
	}
	return mailDomain
}

func (m *mail) fromIP() string {
	if m.From != nil {
		return m.From.IP
	}
	return "203.0.113.20"
}

// mailWith picks a message of EmailEvents that satisfies ok, starting from
// a random one; it returns nil if the table is empty or none is found
// nearby.
func (c *rowCtx) mailWith(ok func(m *mail) bool) *mail {
	n := c.d.rows["EmailEvents"]
	if n == 0 {
		return nil
	}
	k := c.r.intn(n)
	for tries := 0; tries < 40; tries++ {
		m := c.d.mailOf((k + tries) % n)
		if ok(m) {
			return m
		}
	}
	return nil
}

// phishMailNear returns a planted phishing message that exists in
// EmailEvents, or nil if the table is too small to hold one.
func (c *rowCtx) phishMailNear() *mail {
	n := c.d.rows["EmailEvents"]
	if n <= 7 {
		return nil
	}
	count := (n-8)/23 + 1
	return c.d.mailOf(7 + 23*c.r.intn(count))
}
