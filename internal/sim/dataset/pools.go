package dataset

// endpoint is a remote network destination.
type endpoint struct {
	Domain, IP string
	Port       int64
}

// remoteEndpoints are the usual internet destinations of the tenant's
// devices. The rare endpoint is deliberately absent: only the planted rows
// contact it.
var remoteEndpoints = []endpoint{
	{"login.identity-cloud.example", "20.190.159.2", 443},
	{"outlook.mail-cloud.example", "52.97.146.162", 443},
	{"teams.collab-cloud.example", "52.113.194.132", 443},
	{"update.os-vendor.example", "13.107.4.50", 80},
	{"settings-win.data.example", "20.42.73.29", 443},
	{"portal.larkspur.example", "203.0.113.20", 443},
	{"packages.larkspur.example", "203.0.113.21", 443},
	{"git.larkspur.example", "203.0.113.22", 443},
	{"cdn.webfonts.example", "198.51.100.120", 443},
	{"api.shipment-tracker.example", "198.51.100.140", 443},
	{"www.northwind-freight.example", "198.51.100.25", 443},
	{"files.docushare-files.example", "203.0.113.140", 443},
	{"time.ntp-pool.example", "192.0.2.123", 123},
	{"ocsp.cert-authority.example", "192.0.2.80", 80},
	{"repo.linux-mirror.example", "198.51.100.200", 443},
}

// internalEndpoints are services inside the corporate network.
var internalEndpoints = []endpoint{
	{"dc-01." + dnsSuffix, "10.20.1.28", 389},
	{"dc-01." + dnsSuffix, "10.20.1.28", 88},
	{"dc-02." + dnsSuffix, "10.20.1.29", 445},
	{"fs-01." + dnsSuffix, "10.20.1.30", 445},
	{"sql-01." + dnsSuffix, "10.20.1.31", 1433},
	{"jump-01." + dnsSuffix, "10.20.1.32", 3389},
}

// place is a sign-in location.
type place struct {
	Country, CountryName, State, City, Lat, Long, ISP, IPPrefix string
}

var homePlaces = []place{
	{"GB", "United Kingdom", "England", "Leeds", "53.80076", "-1.54908", "Larkspur Leased Line", "203.0.113."},
	{"GB", "United Kingdom", "England", "London", "51.50735", "-0.12776", "Home Broadband UK", "198.51.100."},
	{"DE", "Germany", "Bayern", "München", "48.13743", "11.57549", "Telekom Example", "198.51.100."},
	{"FR", "France", "Auvergne-Rhône-Alpes", "Lyon", "45.76404", "4.83566", "Orange Example", "198.51.100."},
	{"ES", "Spain", "Madrid", "Madrid", "40.41678", "-3.70379", "Movistar Example", "198.51.100."},
	{"JP", "Japan", "Tokyo", "Tokyo", "35.68950", "139.69171", "NTT Example", "192.0.2."},
}

// attackPlaces are where the password spraying comes from.
var attackPlaces = []place{
	{"RU", "Russia", "Moskva", "Moscow", "55.75583", "37.61730", "Bulletproof Hosting Ltd", "185.220.100."},
	{"NL", "Netherlands", "Noord-Holland", "Amsterdam", "52.37403", "4.88969", "VPS Cloud BV", "45.155.205."},
	{"VN", "Vietnam", "Hà Nội", "Hanoi", "21.02776", "105.83416", "Example Telecom VN", "103.77.192."},
}

var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.5993.89 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
	"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
	"python-requests/2.31.0",
}

// cloudApp is an application registered in the directory.
type cloudApp struct {
	Name, ID string
	Num      int64 // numeric application id used by Defender for Cloud Apps
}

var cloudApps = []cloudApp{
	{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", 12345},
	{"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000", 20893},
	{"Microsoft Office 365 Portal", "00000006-0000-0ff1-ce00-000000000000", 11161},
	{"Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000", 20892},
	{"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", 12260},
	{"Larkspur Shipment Portal", "7c1a53f4-2f0e-4f3b-9d1c-5b8a2f1e4c77", 90001},
	{"Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e", 26324},
}

var words = []string{
	"alpha", "harbour", "ledger", "pallet", "freight", "manifest", "route", "depot",
	"invoice", "customs", "quarterly", "north", "cobalt", "summit", "orchid", "falcon",
}

var docNames = []string{
	"Invoice_4471.docm", "Q3 forecast.xlsx", "Shipping manifest 2024-06.pdf", "onboarding_checklist.docx",
	"Résumé - Chloé Durand.pdf", "Gehaltsübersicht_März.xlsx", "Straßenkarte_Lager.pdf", "отчёт_склад.xlsx",
	"倉庫レイアウト.pptx", "rates_100%_final.xlsx", "budget_v2 (copy).xlsx", "it's_urgent.zip", "setup_x64.msi",
	"Payment advice 🧾.html", "Team offsite.ics",
}

var subjects = []string{
	"Weekly shipment summary", "Invoice 4471 overdue – action required", "Re: Customs paperwork for order #88213",
	"Q3 forecast review", "Your mailbox is almost full", "Lunch on Friday?", "Angebot für Paletten – Größe 120×80",
	"Réunion d'équipe à 10h", "Отчёт по складу за неделю", "倉庫の在庫報告", "Payroll update 💰 for June",
	"Password expires in 3 days", `Shared document: "Rates_2024.xlsx"`, "Trade Weekly: ports & freight rates", "100% discount_code inside",
}

var phishSubjects = []string{
	"Action required: verify your Larkspur account", "Your password expires today – keep current password",
	"DocuShare: Invoice_4471 shared with you", "Unusual sign-in activity detected 🔐",
}
