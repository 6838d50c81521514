package dataset

import (
	"fmt"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// The simulated company is Larkspur Logistics, a small firm with one Active
// Directory domain, about 25 devices and 40 people.
const (
	orgName    = "Larkspur Logistics"
	mailDomain = "larkspur.example"
	dnsSuffix  = "corp.larkspur.example"
	netbios    = "LARKSPUR"
)

// device is one managed machine.
type device struct {
	ID, Name, Short string
	OS, OSVersion   string // OSPlatform and OSVersion as Defender reports them
	OSBuild         int64
	Distribution    string
	Arch            string
	LocalIP, MAC    string
	PublicIP        string
	AadID           string
	Group           string
	Type, Model     string
	Vendor          string
	Linux, Mac      bool
	Server          bool
	Primary         *user
	weight          int
	root            *account       // the local root account of Linux and macOS devices
	imgs            []*image       // images that run here, repeated by weight
	fields          []engine.Value // AdditionalFields texts seen on this device
	// v holds the identity fields as engine values, boxed once.
	v struct{ ID, Name, OS, OSVersion, LocalIP, PublicIP, AadID engine.Value }
}

// user is one directory account.
type user struct {
	Given, Surname, Display  string
	Name, UPN, SID, ObjectID string
	Department, Title        string
	City, Country, Phone     string
	EmployeeID               string
	Service, Admin           bool
	acct                     *account
}

// sender is an external mail sender.
type sender struct {
	Display, Address, Domain, IP string
	Bulk                         bool
}

// tenant holds the fixed entity pools shared by every table.
type tenant struct {
	TenantID  string
	DomainSID string
	Devices   []*device
	Users     []*user
	Senders   []sender
	Victims   []*user // accounts targeted by password spraying
	slots     []*device
	slotIdx   map[*device][]int
	byName    map[string]*device
}

type deviceSpec struct{ short, os, group string }

var deviceSpecs = []deviceSpec{
	{"ws-fin-014", "Windows11", "Finance"}, {"ws-fin-022", "Windows11", "Finance"},
	{"ws-hr-003", "Windows10", "HR"}, {"ws-hr-007", "Windows11", "HR"},
	{"ws-eng-101", "Windows11", "Engineering"}, {"ws-eng-102", "Windows11", "Engineering"},
	{"ws-eng-117", "Windows10", "Engineering"}, {"ws-sales-031", "Windows11", "Sales"},
	{"ws-sales-045", "Windows11", "Sales"}, {"ws-sales-046", "Windows10", "Sales"},
	{"ws-ops-009", "Windows11", "Operations"}, {"ws-ops-012", "Windows10", "Operations"},
	{"ws-exec-001", "Windows11", "Executive"}, {"ws-it-002", "Windows11", "IT"},
	{"ws-it-005", "Windows11", "IT"}, {"lt-mkt-018", "Windows11", "Marketing"},
	{"lt-mkt-019", "Windows10", "Marketing"}, {"mac-design-04", "macOS", "Marketing"},
	{"dc-01", "WindowsServer2022", "Servers"}, {"dc-02", "WindowsServer2019", "Servers"},
	{"fs-01", "WindowsServer2019", "Servers"}, {"sql-01", "WindowsServer2022", "Servers"},
	{"jump-01", "WindowsServer2022", "Servers"}, {"web-lnx-01", "Linux", "Servers"},
	{"build-lnx-02", "Linux", "Servers"},
}

type personSpec struct{ given, surname, login, dept, title, city, country string }

var people = []personSpec{
	{"Alice", "Moreau", "alice.moreau", "Finance", "Controller", "Lyon", "FR"},
	{"Ben", "Okafor", "ben.okafor", "Finance", "Accountant", "London", "GB"},
	{"José", "García", "jose.garcia", "Sales", "Account Executive", "Madrid", "ES"},
	{"Jürgen", "Weiß", "juergen.weiss", "Engineering", "Software Engineer", "München", "DE"},
	{"Priya", "Raman", "priya.raman", "Executive", "Chief Financial Officer", "London", "GB"},
	{"Анна", "Смирнова", "anna.smirnova", "Engineering", "QA Engineer", "Riga", "LV"},
	{"Wei", "Li", "wei.li", "Engineering", "Data Engineer", "Singapore", "SG"},
	{"Chloé", "Durand", "chloe.durand", "Marketing", "Designer", "Paris", "FR"},
	{"Marcus", "Hall", "marcus.hall", "IT", "Systems Administrator", "Leeds", "GB"},
	{"Fatima", "Zahra", "fatima.zahra", "HR", "HR Partner", "Leeds", "GB"},
	{"Tom", "O'Brien", "tom.obrien", "Operations", "Logistics Planner", "Dublin", "IE"},
	{"Sofia", "Rossi", "sofia.rossi", "Sales", "Sales Manager", "Milano", "IT"},
	{"Kenji", "Sato", "kenji.sato", "Engineering", "Engineering Manager", "Tokyo", "JP"},
	{"Emma", "Jansen", "emma.jansen", "Operations", "Dispatcher", "Rotterdam", "NL"},
	{"Lukas", "Novák", "lukas.novak", "IT", "Security Analyst", "Praha", "CZ"},
	{"Grace", "Kim", "grace.kim", "Finance", "Payroll Specialist", "London", "GB"},
	{"Omar", "Haddad", "omar.haddad", "Sales", "Account Executive", "Dubai", "AE"},
	{"Hannah", "Schmidt", "hannah.schmidt", "Executive", "Chief Executive Officer", "Berlin", "DE"},
	{"Noah", "Williams", "noah.williams", "Operations", "Warehouse Lead", "Leeds", "GB"},
	{"Isabel", "Fernández", "isabel.fernandez", "HR", "Recruiter", "Madrid", "ES"},
	{"David", "Cohen", "david.cohen", "Engineering", "DevOps Engineer", "Tel Aviv", "IL"},
	{"Mia", "Larsen", "mia.larsen", "Marketing", "Marketing Manager", "København", "DK"},
	{"Lucas", "Silva", "lucas.silva", "Sales", "Sales Engineer", "Lisboa", "PT"},
	{"Zoë", "Ashford", "zoe.ashford", "Marketing", "Content Writer", "Bristol", "GB"},
	{"Ahmed", "Khan", "ahmed.khan", "Finance", "Financial Analyst", "Manchester", "GB"},
	{"Olga", "Petrova", "olga.petrova", "Operations", "Fleet Coordinator", "Riga", "LV"},
	{"Ethan", "Brown", "ethan.brown", "IT", "Helpdesk Technician", "Leeds", "GB"},
	{"Yuki", "Tanaka", "yuki.tanaka", "Engineering", "Frontend Engineer", "Tokyo", "JP"},
	{"Léa", "Martin", "lea.martin", "Sales", "Sales Assistant", "Lyon", "FR"},
	{"Piotr", "Kowalski", "piotr.kowalski", "Operations", "Operations Manager", "Gdańsk", "PL"},
	{"Nora", "Berg", "nora.berg", "HR", "HR Director", "Oslo", "NO"},
	{"Samuel", "Adeyemi", "samuel.adeyemi", "Engineering", "Site Reliability Engineer", "Leeds", "GB"},
	{"Clara", "Hofmann", "clara.hofmann", "Finance", "Treasury Analyst", "Zürich", "CH"},
	{"Ravi", "Patel", "ravi.patel", "Engineering", "Backend Engineer", "Bengaluru", "IN"},
	{"Elena", "Popescu", "elena.popescu", "Operations", "Customs Specialist", "București", "RO"},
	{"Jack", "Taylor", "jack.taylor", "Sales", "Regional Director", "Leeds", "GB"},
	{"Marcus", "Hall (admin)", "adm-mhall", "IT", "Privileged Account", "Leeds", "GB"},
	{"SQL", "Service", "svc-sql", "IT", "Service Account", "Leeds", "GB"},
	{"Backup", "Service", "svc-backup", "IT", "Service Account", "Leeds", "GB"},
	{"Build", "Agent", "svc-build", "Engineering", "Service Account", "Leeds", "GB"},
}

var senderSpecs = []sender{
	{Display: "Northwind Freight Billing", Address: "billing@northwind-freight.example", Domain: "northwind-freight.example", IP: "198.51.100.25"},
	{Display: "Adatum Customs Broker", Address: "ops@adatum-customs.example", Domain: "adatum-customs.example", IP: "198.51.100.61"},
	{Display: "Larkspur IT Helpdesk", Address: "it-support@larkspur-helpdesk.example", Domain: "larkspur-helpdesk.example", IP: "203.0.113.77"},
	{Display: "DocuShare Notification", Address: "no-reply@docushare-files.example", Domain: "docushare-files.example", IP: "203.0.113.140"},
	{Display: "Microsoft 365 Security", Address: "security@m365-account-verify.example", Domain: "m365-account-verify.example", IP: "192.0.2.199"},
	{Display: "Trade Weekly", Address: "news@tradeweekly.example", Domain: "tradeweekly.example", IP: "198.51.100.180", Bulk: true},
	{Display: "Contoso Pallets", Address: "sales@contoso-pallets.example", Domain: "contoso-pallets.example", IP: "198.51.100.9"},
	{Display: "Payroll Partner", Address: "payroll@fabrikam-payroll.example", Domain: "fabrikam-payroll.example", IP: "198.51.100.33"},
}

func newTenant(seed int64) *tenant {
	r := newRng(seed, keyOf("tenant"), 0)
	t := &tenant{TenantID: r.guid(), byName: map[string]*device{}}
	t.DomainSID = fmt.Sprintf("S-1-5-21-%d-%d-%d", r.between(1e9, 4e9), r.between(1e9, 4e9), r.between(1e8, 4e9))
	for i, p := range people {
		u := &user{
			Given: p.given, Surname: p.surname, Display: p.given + " " + p.surname,
			Name: p.login, UPN: p.login + "@" + mailDomain,
			SID: fmt.Sprintf("%s-%d", t.DomainSID, 1104+i*3), ObjectID: r.guid(),
			Department: p.dept, Title: p.title, City: p.city, Country: p.country,
			Phone:      fmt.Sprintf("+44 113 496 %04d", r.between(0, 9999)),
			EmployeeID: fmt.Sprintf("E%05d", 10000+i*37),
			Service:    strings.HasPrefix(p.login, "svc-"), Admin: strings.HasPrefix(p.login, "adm-"),
		}
		if !strings.Contains(p.login, "-") {
			// Person accounts use a short SAM name, like jgarcia.
			parts := strings.SplitN(p.login, ".", 2)
			u.Name = parts[0][:1] + parts[1]
		}
		if u.Service {
			u.Display = p.given + " " + p.surname + " Account"
		}
		u.acct = userAccount(u)
		t.Users = append(t.Users, u)
	}
	t.Victims = []*user{t.Users[4], t.Users[17]}
	people := t.Users[:36]
	for i, s := range deviceSpecs {
		d := &device{
			Short: s.short, Name: s.short + "." + dnsSuffix, OS: s.os, Group: s.group,
			ID: r.hex(40), AadID: r.guid(), MAC: macOf(&r),
			LocalIP:  fmt.Sprintf("10.20.%d.%d", 10+i/10*10, 20+i*3),
			PublicIP: fmt.Sprintf("203.0.113.%d", 10+i%3),
			Linux:    s.os == "Linux", Mac: s.os == "macOS",
			Server: s.group == "Servers", Arch: "x64", Type: "Workstation",
			Primary: people[(i*7)%len(people)], weight: 2,
		}
		switch {
		case d.Linux:
			d.OSVersion, d.OSBuild, d.Distribution = "22.04", 0, "Ubuntu"
			if strings.HasPrefix(s.short, "build") {
				d.OSVersion, d.Distribution = "9.3", "RedHatEnterpriseLinux"
			}
			d.Vendor, d.Model, d.Type, d.weight = "Microsoft Corporation", "Virtual Machine", "Server", 4
			d.Primary = t.Users[39]
		case d.Mac:
			d.OSVersion, d.OSBuild, d.Distribution, d.Arch = "14.4", 0, "macOS", "arm64"
			d.Vendor, d.Model = "Apple Inc.", "MacBookPro18,3"
		case d.Server:
			d.OSVersion, d.OSBuild, d.Distribution = "10.0", 20348, "Server"
			if s.os == "WindowsServer2019" {
				d.OSBuild = 17763
			}
			d.Vendor, d.Model, d.Type, d.weight = "Microsoft Corporation", "Virtual Machine", "Server", 4
			d.Primary = t.Users[36]
		default:
			d.OSVersion, d.OSBuild, d.Distribution = "10.0", 22631, "Windows"
			if s.os == "Windows10" {
				d.OSBuild = 19045
			}
			d.Vendor, d.Model = pick(&r, []string{"Dell Inc.", "LENOVO", "HP"}), pick(&r, []string{"Latitude 7440", "ThinkPad T14 Gen 4", "EliteBook 840 G10"})
		}
		if d.Server {
			d.LocalIP = fmt.Sprintf("10.20.1.%d", 10+i)
		}
		d.root = newAccount(d.Short, "root", "", "", "", "")
		d.imgs = imagesFor(d)
		d.fields = additionalFields(d, d.Primary)
		d.v.ID, d.v.Name, d.v.OS, d.v.OSVersion = d.ID, d.Name, d.OS, d.OSVersion
		d.v.LocalIP, d.v.PublicIP, d.v.AadID = d.LocalIP, d.PublicIP, d.AadID
		t.Devices = append(t.Devices, d)
		t.byName[d.Short] = d
	}
	t.Senders = senderSpecs
	// Slots spread process activity over devices by weight: every device
	// owns at least one slot and busy servers own more.
	t.slotIdx = map[*device][]int{}
	for _, d := range t.Devices {
		for k := 0; k < d.weight; k++ {
			t.slotIdx[d] = append(t.slotIdx[d], len(t.slots))
			t.slots = append(t.slots, d)
		}
	}
	return t
}

func macOf(r *rng) string {
	h := r.hex(10)
	return strings.ToUpper("00" + h)
}

// humans returns the non-service accounts.
func (t *tenant) humans() []*user { return t.Users[:36] }
