package dataset

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// software is an installed product as vulnerability management sees it.
type software struct {
	Vendor, Name, Version string
	Platform              string   // win, server, linux, mac, all
	Devices               []string // if set, the only devices with it
	EndOfSupport          string
	Except                []string // devices that run another version
}

var softwareCatalog = []software{
	{"microsoft", "office", "16.0.17328.20162", "win", nil, "", []string{"ws-fin-022", "ws-hr-003"}},
	{"microsoft", "office", "16.0.17126.20132", "win", []string{"ws-fin-022", "ws-hr-003"}, "", nil},
	{"microsoft", "edge_chromium-based", "124.0.2478.80", "win", nil, "", nil},
	{"google", "chrome", "118.0.5993.89", "win", nil, "", nil},
	{"7-zip", "7-zip", "22.01", "win", []string{"ws-eng-101", "ws-eng-117", "ws-ops-012"}, "", nil},
	{"oracle", "jre", "8.0.3810.9", "win", []string{"ws-fin-014", "sql-01"}, "EOS Version", nil},
	{"notepad++", "notepad++", "8.5.8", "win", nil, "", nil},
	{"microsoft", "sql_server_2022", "16.0.4115.5", "server", []string{"sql-01"}, "", nil},
	{"microsoft", "windows_server_2019", "10.0.17763.5820", "server", []string{"dc-02", "fs-01"}, "Upcoming EOS Version", nil},
	{"apache", "log4j", "2.14.1", "linux", []string{"web-lnx-01"}, "", nil},
	{"openssl", "openssl", "3.0.2", "linux", nil, "", nil},
	{"haxx", "curl", "8.3.0", "linux", nil, "", nil},
	{"nginx", "nginx", "1.18.0", "linux", []string{"web-lnx-01"}, "", nil},
	{"tukaani", "xz", "5.6.0", "linux", []string{"build-lnx-02"}, "", nil},
	{"apple", "safari", "17.4", "mac", nil, "", nil},
	{"google", "chrome", "124.0.6367.91", "mac", nil, "", nil},
}

// cve is a vulnerability in the knowledge base.
type cve struct {
	ID, Severity, Score string
	Exploit             bool
	Published           string
	Software            []int // indexes into softwareCatalog
	Update, UpdateID    string
	Description         string
}

var cveCatalog = []cve{
	{"CVE-2021-44228", "Critical", "10.0", true, "2021-12-10", []int{9}, "Upgrade log4j to 2.17.1", "", "Remote code execution through message lookups in a widely used Java logging library."},
	{"CVE-2024-21413", "Critical", "9.8", true, "2024-02-13", []int{1}, "February 2024 Office update", "KB5002537", "Crafted links in mail bypass protected view and leak credentials."},
	{"CVE-2024-3094", "Critical", "10.0", true, "2024-03-29", []int{13}, "Downgrade xz to 5.4.6", "", "Malicious code in a compression library's release tarballs tampers with SSH authentication."},
	{"CVE-2023-38545", "Critical", "9.8", false, "2023-10-18", []int{11}, "Upgrade curl to 8.4.0", "", "Heap overflow during a SOCKS5 proxy handshake."},
	{"CVE-2023-4863", "High", "8.8", true, "2023-09-12", []int{3}, "Update Chrome to 116.0.5845.187 or later", "", "Heap overflow in an image decoding library reachable from web content."},
	{"CVE-2023-5217", "High", "8.8", true, "2023-09-28", []int{3}, "Update Chrome to 117.0.5938.132 or later", "", "Heap overflow in a video encoder."},
	{"CVE-2022-3602", "High", "7.5", false, "2022-11-01", []int{10}, "Upgrade openssl to 3.0.7", "", "Buffer overrun in X.509 certificate name checking."},
	{"CVE-2023-31102", "High", "7.8", false, "2023-11-03", []int{4}, "Upgrade 7-zip to 23.01", "", "Integer underflow while reading crafted archives."},
	{"CVE-2023-22049", "Medium", "3.7", false, "2023-07-18", []int{5}, "Update Java SE", "", "Weakness in a networking component allows limited data modification."},
	{"CVE-2023-44487", "High", "7.5", true, "2023-10-10", []int{12}, "Upgrade nginx", "", "Rapid stream resets exhaust server resources (HTTP/2)."},
	{"CVE-2024-21338", "High", "7.8", true, "2024-02-13", []int{8}, "February 2024 cumulative update", "KB5034768", "Privilege escalation in a kernel driver."},
	{"CVE-2023-40031", "Medium", "6.5", false, "2023-08-25", []int{6}, "Upgrade notepad++ to 8.5.7 or later", "", "Buffer overflow when converting text encodings."},
	{"CVE-2024-23222", "High", "8.8", true, "2024-01-22", []int{14}, "Update Safari", "", "Type confusion in a web engine leads to code execution."},
	{"CVE-2024-21318", "Medium", "6.6", false, "2024-01-09", []int{7}, "Install the SQL Server update", "KB5033663", "Crafted requests to a reporting component allow code execution."},
	{"CVE-2023-36884", "Low", "3.1", false, "2023-07-11", []int{0}, "July 2023 Office update", "KB5002414", "Information disclosure when opening crafted documents."},
}

type install struct {
	dev *device
	sw  *software
}

type vuln struct {
	install
	cve *cve
}

type secConfig struct {
	ID, Name, Category, Subcategory string
	Impact                          float64
}

var secConfigs = []secConfig{
	{"scid-2010", "Turn on Microsoft Defender Antivirus PUA protection", "Security controls", "Antivirus", 5},
	{"scid-91", "Disable 'Allow Basic authentication' for WinRM Client", "OS", "Network", 8},
	{"scid-5001", "Enable Microsoft Defender Antivirus real-time protection", "Security controls", "Antivirus", 10},
	{"scid-3001", "Secure Mozilla Firefox and Chrome: block outdated plugins", "Application", "Browser", 3},
	{"scid-6095", "Ensure SSH root login is disabled", "OS", "Accounts", 7},
	{"scid-2021", "Set LAN Manager authentication level to NTLMv2 only", "OS", "Security policy", 9},
}

// tvmData is the tenant's current vulnerability-management state.
type tvmData struct {
	installs []install
	vulns    []vuln
}

func newTVM(d *Dataset) *tvmData {
	t := &tvmData{}
	for _, dev := range d.t.Devices {
		for i := range softwareCatalog {
			sw := &softwareCatalog[i]
			if !sw.runsOn(dev) {
				continue
			}
			t.installs = append(t.installs, install{dev, sw})
			for k := range cveCatalog {
				for _, s := range cveCatalog[k].Software {
					if s == i {
						t.vulns = append(t.vulns, vuln{install{dev, sw}, &cveCatalog[k]})
					}
				}
			}
		}
	}
	return t
}

func (s *software) runsOn(d *device) bool {
	for _, n := range s.Except {
		if n == d.Short {
			return false
		}
	}
	if len(s.Devices) > 0 {
		for _, n := range s.Devices {
			if n == d.Short {
				return true
			}
		}
		return false
	}
	switch s.Platform {
	case "win":
		return !d.Linux && !d.Mac && !d.Server || (s.Name == "edge_chromium-based" && !d.Linux && !d.Mac)
	case "linux":
		return d.Linux
	case "mac":
		return d.Mac
	}
	return false
}

func day0(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic("dataset: bad date " + s)
	}
	return t
}

func init() {
	installOf := func(c *rowCtx) *install {
		ins := c.d.tvm.installs[c.i%len(c.d.tvm.installs)]
		return &ins
	}
	swCols := func(get func(c *rowCtx) *software) map[string]gen {
		return map[string]gen{
			"SoftwareVendor":     str(func(c *rowCtx) string { return get(c).Vendor }),
			"SoftwareName":       str(func(c *rowCtx) string { return get(c).Name }),
			"SoftwareVersion":    str(func(c *rowCtx) string { return get(c).Version }),
			"EndOfSupportStatus": str(func(c *rowCtx) string { return get(c).EndOfSupport }),
			"EndOfSupportDate": func(c *rowCtx) engine.Value {
				if get(c).EndOfSupport == "" {
					return nil
				}
				return day0("2025-10-14")
			},
			"ProductCodeCpe": str(func(c *rowCtx) string {
				s := get(c)
				return "cpe:2.3:a:" + s.Vendor + ":" + s.Name + ":" + s.Version + ":*:*:*:*:*:*:*"
			}),
			"RegistryPaths": func(c *rowCtx) engine.Value {
				return engine.Dynamic{V: []any{`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\` + get(c).Name}}
			},
			"DiskPaths": func(c *rowCtx) engine.Value {
				return engine.Dynamic{V: []any{`C:\Program Files\` + get(c).Name + `\`}}
			},
			"LastSeenTime": str(func(c *rowCtx) string { return c.d.now.Add(-6 * time.Hour).Format("2006-01-02 15:04:05") }),
		}
	}
	invSize := func(d *Dataset) int { return len(d.tvm.installs) }
	devFromItem := func(c *rowCtx) {
		ins := installOf(c)
		c.item, c.dev = ins, ins.dev
	}
	itemSW := func(c *rowCtx) *software { return c.item.(*install).sw }
	defs["DeviceTvmSoftwareInventory"] = &tableDef{prep: devFromItem, cols: swCols(itemSW), size: invSize}
	defs["DeviceTvmSoftwareEvidenceBeta"] = &tableDef{prep: devFromItem, cols: swCols(itemSW), size: invSize}

	vulnOf := func(c *rowCtx) *vuln { return c.item.(*vuln) }
	vcols := swCols(func(c *rowCtx) *software { return vulnOf(c).sw })
	vcols["CveId"] = str(func(c *rowCtx) string { return vulnOf(c).cve.ID })
	vcols["VulnerabilitySeverityLevel"] = str(func(c *rowCtx) string { return vulnOf(c).cve.Severity })
	vcols["RecommendedSecurityUpdate"] = str(func(c *rowCtx) string { return vulnOf(c).cve.Update })
	vcols["RecommendedSecurityUpdateId"] = str(func(c *rowCtx) string { return vulnOf(c).cve.UpdateID })
	vcols["CveTags"] = func(c *rowCtx) engine.Value {
		tags := []any{}
		if vulnOf(c).cve.Exploit {
			tags = append(tags, "ExploitVerified")
		}
		if vulnOf(c).cve.Severity == "Critical" {
			tags = append(tags, "ZeroDay")
		}
		return engine.Dynamic{V: tags}
	}
	defs["DeviceTvmSoftwareVulnerabilities"] = &tableDef{
		prep: func(c *rowCtx) {
			v := c.d.tvm.vulns[c.i%len(c.d.tvm.vulns)]
			c.item, c.dev = &v, v.dev
		},
		cols: vcols,
		size: func(d *Dataset) int { return len(d.tvm.vulns) },
	}

	cveOf := func(c *rowCtx) *cve { return c.item.(*cve) }
	defs["DeviceTvmSoftwareVulnerabilitiesKB"] = &tableDef{
		prep: func(c *rowCtx) {
			c.item = &cveCatalog[c.i%len(cveCatalog)]
			c.t = day0(cveOf(c).Published).Add(time.Duration(c.r.between(1, 200)) * day)
		},
		cols: map[string]gen{
			"CveId":                      str(func(c *rowCtx) string { return cveOf(c).ID }),
			"CvssScore":                  str(func(c *rowCtx) string { return cveOf(c).Score }),
			"IsExploitAvailable":         func(c *rowCtx) engine.Value { return cveOf(c).Exploit },
			"VulnerabilitySeverityLevel": str(func(c *rowCtx) string { return cveOf(c).Severity }),
			"PublishedDate":              func(c *rowCtx) engine.Value { return day0(cveOf(c).Published) },
			"LastModifiedTime":           func(c *rowCtx) engine.Value { return c.t },
			"VulnerabilityDescription":   str(func(c *rowCtx) string { return cveOf(c).Description }),
			"AffectedSoftware": func(c *rowCtx) engine.Value {
				var out []any
				for _, s := range cveOf(c).Software {
					sw := softwareCatalog[s]
					out = append(out, map[string]any{"Vendor": sw.Vendor, "Name": sw.Name, "Version": sw.Version, "VersionDistance": json.Number("0")})
				}
				return engine.Dynamic{V: out}
			},
		},
		size: func(*Dataset) int { return len(cveCatalog) },
	}

	cfgOf := func(c *rowCtx) *secConfig { return c.item.(*secConfig) }
	cfgCols := map[string]gen{
		"ConfigurationId":          str(func(c *rowCtx) string { return cfgOf(c).ID }),
		"ConfigurationName":        str(func(c *rowCtx) string { return cfgOf(c).Name }),
		"ConfigurationCategory":    str(func(c *rowCtx) string { return cfgOf(c).Category }),
		"ConfigurationSubcategory": str(func(c *rowCtx) string { return cfgOf(c).Subcategory }),
		"ConfigurationImpact":      func(c *rowCtx) engine.Value { return cfgOf(c).Impact },
	}
	defs["DeviceTvmSecureConfigurationAssessmentKB"] = &tableDef{
		prep: func(c *rowCtx) { c.item = &secConfigs[c.i%len(secConfigs)] },
		cols: cfgCols,
		size: func(*Dataset) int { return len(secConfigs) },
	}
	defs["DeviceTvmSecureConfigurationAssessment"] = &tableDef{
		prep: func(c *rowCtx) {
			n := len(c.d.t.Devices)
			c.dev = c.d.t.Devices[c.i%n]
			c.item = &secConfigs[(c.i/n)%len(secConfigs)]
		},
		cols: cfgCols,
	}
	baseCols := map[string]gen{
		"ConfigurationId":       str(func(c *rowCtx) string { return strings.Replace(cfgOf(c).ID, "scid", "bcid", 1) }),
		"ConfigurationName":     str(func(c *rowCtx) string { return cfgOf(c).Name }),
		"ConfigurationCategory": str(func(c *rowCtx) string { return cfgOf(c).Category }),
		"ProfileId":             str(func(c *rowCtx) string { return baselineProfiles[c.i%len(baselineProfiles)] }),
	}
	defs["DeviceBaselineComplianceAssessmentKB"] = &tableDef{
		prep: func(c *rowCtx) { c.item = &secConfigs[c.i%len(secConfigs)] },
		cols: baseCols,
		size: func(*Dataset) int { return len(secConfigs) },
	}
	defs["DeviceBaselineComplianceAssessment"] = &tableDef{
		prep: func(c *rowCtx) {
			n := len(c.d.t.Devices)
			c.dev = c.d.t.Devices[c.i%n]
			c.item = &secConfigs[(c.i/n)%len(secConfigs)]
		},
		cols: baseCols,
		size: func(d *Dataset) int { return len(d.t.Devices) * len(secConfigs) },
	}
	defs["DeviceBaselineComplianceProfiles"] = &tableDef{
		cols: map[string]gen{
			"ProfileId": str(func(c *rowCtx) string { return baselineProfiles[c.i%len(baselineProfiles)] }),
			"ProfileName": str(func(c *rowCtx) string {
				return []string{"CIS Windows 11 L1", "CIS Server 2022 L1", "STIG Ubuntu 22.04"}[c.i%3]
			}),
		},
		size: func(*Dataset) int { return len(baselineProfiles) },
	}
	defs["DeviceTvmInfoGatheringKB"] = &tableDef{
		cols: map[string]gen{
			"IgId":      str(func(c *rowCtx) string { return "igid-" + infoFields[c.i%len(infoFields)] }),
			"FieldName": str(func(c *rowCtx) string { return infoFields[c.i%len(infoFields)] }),
		},
		size: func(*Dataset) int { return len(infoFields) },
	}
	extOf := func(c *rowCtx) browserExt { return browserExts[c.i%len(browserExts)] }
	extCols := map[string]gen{
		"BrowserName":   str(func(c *rowCtx) string { return extOf(c).Browser }),
		"ExtensionId":   str(func(c *rowCtx) string { return extOf(c).ID }),
		"ExtensionName": str(func(c *rowCtx) string { return extOf(c).Name }),
		"ExtensionRisk": str(func(c *rowCtx) string { return extOf(c).Risk }),
	}
	defs["DeviceTvmBrowserExtensionsKB"] = &tableDef{cols: extCols, size: func(*Dataset) int { return len(browserExts) }}
	defs["DeviceTvmBrowserExtensions"] = &tableDef{
		prep: func(c *rowCtx) { c.dev = c.d.t.Devices[(c.i*3)%18] },
		cols: extCols,
		size: func(*Dataset) int { return 3 * len(browserExts) },
	}
	perDevice := func(k int) func(*Dataset) int { return func(d *Dataset) int { return k * len(d.t.Devices) } }
	onDevice := func(c *rowCtx) { c.dev = c.d.t.Devices[c.i%len(c.d.t.Devices)] }
	defs["DeviceTvmCertificateInfo"] = &tableDef{prep: onDevice, size: perDevice(2)}
	defs["DeviceTvmHardwareFirmware"] = &tableDef{
		prep: onDevice,
		cols: map[string]gen{
			"ComponentType": str(func(c *rowCtx) string { return []string{"Bios", "Processor", "Hardware"}[c.i/len(c.d.t.Devices)%3] }),
			"Manufacturer":  str(func(c *rowCtx) string { return c.dev.Vendor }),
		},
		size: perDevice(3),
	}
}

var baselineProfiles = []string{"bp-win11-l1", "bp-srv2022-l1", "bp-ubuntu-stig"}

var infoFields = []string{"AsrRules", "TlsClient10", "Log4jVulnerableFilePath", "SmbServerConfiguration", "EbpfStatus", "WebView2Version"}

type browserExt struct{ Browser, ID, Name, Risk string }

var browserExts = []browserExt{
	{"Edge", "odfafepnkmbhccpbejgmiehpchacaeak", "uBlock Origin", "Low"},
	{"Chrome", "nngceckbapebfimnlniiiahkandclblb", "Password Manager", "Medium"},
	{"Chrome", "ghbmnnjooekpmoecnnnilnnbdlolhkhi", "Docs Offline", "Low"},
	{"Edge", "jlhmfgmfgeifomenelglieieghnjghma", "Free VPN Proxy ✓", "High"},
}
