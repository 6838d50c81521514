package dataset

import (
	"strconv"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// docImages are documents and downloads that file events touch.
var docImages = func() []*image {
	var out []*image
	for i, n := range docNames {
		dir := `C:\Users\Public\Documents\`
		if i%3 == 1 {
			dir = `C:\Users\Public\Downloads\`
		}
		im := &image{Name: n, Path: dir + n, Size: int64(20000 + i*7919)}
		im.hash()
		out = append(out, im)
	}
	return out
}()

// dllImages are modules that image load events record.
var dllImages = func() []*image {
	var out []*image
	for i, n := range []string{"ntdll.dll", "kernel32.dll", "amsi.dll", "clr.dll", "wininet.dll", "System.Management.Automation.ni.dll", "vaultcli.dll", "samlib.dll"} {
		im := &image{Name: n, Path: sys32 + n, Size: int64(100000 + i*65537), Company: msft, Product: winOS}
		if strings.HasPrefix(n, "System.") {
			im.Path = `C:\Windows\assembly\NativeImages_v4.0.30319_64\System.Manaa57fc8cc#\` + n
		}
		im.hash()
		out = append(out, im)
	}
	return out
}()

var rareDevices = []string{"ws-fin-022", "build-lnx-02"}

var registryKeys = []string{
	`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Run`,
	`HKEY_CURRENT_USER\S-1-5-21-1004336348\SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\RecentDocs`,
	`HKEY_LOCAL_MACHINE\SYSTEM\ControlSet001\Services\WinDefend`,
	`HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows Defender\Exclusions\Paths`,
	`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Schedule\TaskCache\Tree\OneDrive Sync Helper`,
}

func procBool(p func(*rowCtx) *proc) gen {
	return func(c *rowCtx) engine.Value {
		if x := p(c); x != nil {
			return x.remote
		}
		return nil
	}
}

// deviceCols are shared by the Device* event tables.
var deviceCols = map[string]gen{
	"IsProcessRemoteSession":           procBool((*rowCtx).process),
	"IsInitiatingProcessRemoteSession": procBool((*rowCtx).initiating),
	"AppGuardContainerId": str(func(c *rowCtx) string {
		if c.r.chance(0.97) {
			return ""
		}
		return c.r.guid()
	}),
}

func withDevice(cols map[string]gen) map[string]gen {
	out := map[string]gen{}
	for k, v := range deviceCols {
		out[k] = v
	}
	for k, v := range cols {
		out[k] = v
	}
	return out
}

func init() {
	defs["DeviceProcessEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			c.processRow(c.i)
			c.f = c.p.img
		},
		cols: withDevice(nil),
	}
	defs["DeviceNetworkEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			if c.i%50 == 3 {
				// The rare host: only two devices ever talk to it.
				c.dev = c.d.t.byName[rareDevices[(c.i/50)%len(rareDevices)]]
				c.ep = endpoint{Domain: rareDomain, IP: rareIP, Port: 443}
			} else if c.r.chance(0.3) {
				c.ep = pick(&c.r, internalEndpoints)
			}
			c.initiatingOnDevice()
		},
		cols: withDevice(map[string]gen{
			"RemoteUrl": str(func(c *rowCtx) string {
				if c.r.chance(0.2) {
					return ""
				}
				return c.ep.Domain
			}),
			"Protocol": str(func(c *rowCtx) string {
				if c.ep.Port == 53 || c.ep.Port == 123 {
					return "Udp"
				}
				return "Tcp"
			}),
		}),
	}
	renamed := func(c *rowCtx) bool { return c.item.(string) == "FileRenamed" }
	defs["DeviceFileEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			c.initiatingOnDevice()
			c.f = pick(&c.r, docImages)
			if c.r.chance(0.3) {
				c.f = pick(&c.r, windowsImages)
			}
			c.item = pick(&c.r, actionTypes["DeviceFileEvents"])
		},
		cols: withDevice(map[string]gen{
			"ActionType": func(c *rowCtx) engine.Value { return c.item.(string) },
			"PreviousFileName": str(func(c *rowCtx) string {
				if renamed(c) {
					return "~$" + c.f.Name + ".tmp"
				}
				return ""
			}),
			"PreviousFolderPath": str(func(c *rowCtx) string {
				if renamed(c) {
					return `C:\Users\Public\AppData\Local\Temp\~$` + c.f.Name + ".tmp"
				}
				return ""
			}),
			"SensitivityLabel": str(func(c *rowCtx) string { return pick(&c.r, []string{"", "", "General", "Confidential"}) }),
			"SensitivitySubLabel": str(func(c *rowCtx) string {
				return pick(&c.r, []string{"", "", "", "Finance"})
			}),
			"ShareName": str(func(c *rowCtx) string { return pick(&c.r, []string{"", "", `finance$`, "public"}) }),
		}),
	}
	defs["DeviceRegistryEvents"] = &tableDef{
		prep: func(c *rowCtx) { c.initiatingOnDevice() },
		cols: withDevice(map[string]gen{
			"PreviousRegistryValueData": str(func(c *rowCtx) string { return pick(&c.r, []string{"", "", "0"}) }),
		}),
	}
	defs["DeviceLogonEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			// Logons mostly come from other machines on the network.
			if c.r.chance(0.8) {
				from := pick(&c.r, c.d.t.Devices)
				c.ep = endpoint{Domain: from.Name, IP: from.LocalIP, Port: pick(&c.r, []int64{445, 3389, 135})}
			}
			c.initiatingOnDevice()
			c.item = pick(&c.r, actionTypes["DeviceLogonEvents"])
			if c.dev.Server && c.r.chance(0.2) {
				c.u = c.d.t.Victims[c.r.intn(2)]
				c.item = "LogonFailed"
			}
		},
		cols: withDevice(map[string]gen{
			"ActionType": func(c *rowCtx) engine.Value { return c.item.(string) },
			"LogonType": str(func(c *rowCtx) string {
				return pick(&c.r, []string{"Interactive", "Network", "RemoteInteractive", "Unlock", "Service", "Batch"})
			}),
			"FailureReason": str(func(c *rowCtx) string {
				if c.item.(string) == "LogonFailed" {
					return pick(&c.r, []string{"InvalidUserNameOrPassword", "AccountLocked", "UnknownUser"})
				}
				return ""
			}),
			"Protocol": str(func(c *rowCtx) string { return pick(&c.r, []string{"Kerberos", "NTLM", "Negotiate", ""}) }),
		}),
	}
	defs["DeviceImageLoadEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			c.initiatingOnDevice()
			c.f = pick(&c.r, dllImages)
		},
		cols: withDevice(nil),
	}
	defs["DeviceEvents"] = &tableDef{
		prep: func(c *rowCtx) {
			c.initiatingOnDevice()
			c.f = pick(&c.r, docImages)
		},
		cols: withDevice(nil),
	}
	devCycle := func(c *rowCtx) {
		c.dev = c.d.t.Devices[c.i%len(c.d.t.Devices)]
		c.u = c.dev.Primary
	}
	defs["DeviceNetworkInfo"] = &tableDef{prep: devCycle, cols: map[string]gen{
		"NetworkAdapterName":   str(func(c *rowCtx) string { return pick(&c.r, []string{"Ethernet", "Wi-Fi", "eth0", "vEthernet (WSL)"}) }),
		"NetworkAdapterType":   str(func(c *rowCtx) string { return pick(&c.r, []string{"Ethernet", "Wireless80211", "Tunnel"}) }),
		"NetworkAdapterStatus": str(func(c *rowCtx) string { return pick(&c.r, []string{"Up", "Up", "Up", "Down"}) }),
		"NetworkAdapterVendor": str(func(c *rowCtx) string { return pick(&c.r, []string{"Intel Corporation", "Realtek", "Microsoft"}) }),
		"TunnelType":           str(func(c *rowCtx) string { return pick(&c.r, []string{"None", "None", "Teredo"}) }),
		"IPv4Dhcp":             str(func(c *rowCtx) string { return pick(&c.r, []string{"10.20.1.28", ""}) }),
	}}
	defs["DeviceInfo"] = &tableDef{prep: devCycle, cols: deviceInfoCols()}
	defs["DeviceTvmInfoGathering"] = &tableDef{prep: devCycle}
	defs["DeviceFileCertificateInfo"] = &tableDef{
		prep: func(c *rowCtx) { c.f = pick(&c.r, windowsImages) },
		cols: map[string]gen{
			"Signer": str(func(c *rowCtx) string { return c.f.Company }),
			"Issuer": str(func(c *rowCtx) string {
				return pick(&c.r, []string{"Microsoft Code Signing PCA 2011", "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1"})
			}),
			"SignatureType": str(func(c *rowCtx) string { return pick(&c.r, []string{"Embedded", "Catalog"}) }),
			"CertificateSerialNumber": str(func(c *rowCtx) string {
				return strings.ToUpper(c.r.hex(38))
			}),
			"CrlDistributionPointUrls": str(func(c *rowCtx) string {
				return `["http://crl.cert-authority.example/pca2011.crl"]`
			}),
			"IsRootSignerMicrosoft": func(c *rowCtx) engine.Value { return c.f.Company == msft },
		},
	}
}

func deviceInfoCols() map[string]gen {
	b := func(f func(d *device) bool) gen { return func(c *rowCtx) engine.Value { return f(c.dev) } }
	return map[string]gen{
		"ClientVersion": str(func(c *rowCtx) string {
			if c.dev.Linux || c.dev.Mac {
				return "101.24032.0007"
			}
			return "10.8760." + strconv.FormatInt(c.dev.OSBuild, 10) + ".1000"
		}),
		"IsAzureADJoined": b(func(d *device) bool { return !d.Linux && !d.Mac }),
		"JoinType": str(func(c *rowCtx) string {
			return map[bool]string{true: "Hybrid Azure AD Join", false: ""}[!c.dev.Linux && !c.dev.Mac]
		}),
		"OnboardingStatus": str(func(c *rowCtx) string { return "Onboarded" }),
		"DeviceCategory":   str(func(c *rowCtx) string { return "Endpoint" }),
		"DeviceSubtype": str(func(c *rowCtx) string {
			switch {
			case c.dev.Server:
				return "VirtualMachine"
			case strings.HasPrefix(c.dev.Short, "lt-") || c.dev.Mac:
				return "Laptop"
			}
			return "Desktop"
		}),
		"OSVersionInfo": str(func(c *rowCtx) string { return map[bool]string{true: "23H2", false: ""}[c.dev.OSBuild == 22631] }),
		// ws-sales-045 was re-imaged: its old identity was merged into it.
		"MergedDeviceIds": str(func(c *rowCtx) string {
			if c.dev.Short == "ws-sales-045" {
				return `["` + c.d.t.byName["ws-sales-046"].ID[:20] + c.dev.ID[20:] + `"]`
			}
			return ""
		}),
		// Reports older than 30 days from ws-sales-046 predate its merge
		// into ws-sales-045.
		"MergedToDeviceId": str(func(c *rowCtx) string {
			if c.dev.Short == "ws-sales-046" && c.t.Before(c.d.now.Add(-window)) {
				return c.d.t.byName["ws-sales-045"].ID
			}
			return ""
		}),
		"IsInternetFacing": b(func(d *device) bool { return d.Short == "web-lnx-01" }),
		"SensorHealthState": str(func(c *rowCtx) string {
			return pick(&c.r, []string{"Active", "Active", "Active", "Inactive", "ImpairedCommunication"})
		}),
		"IsExcluded": func(c *rowCtx) engine.Value { return c.dev.Short == "lt-mkt-019" },
		"ExclusionReason": str(func(c *rowCtx) string {
			if c.dev.Short == "lt-mkt-019" {
				return "InactiveDevice"
			}
			return ""
		}),
		"ExposureLevel": str(func(c *rowCtx) string { return pick(&c.r, []string{"Low", "Medium", "Medium", "High"}) }),
		"AssetValue": str(func(c *rowCtx) string {
			if c.dev.Server {
				return "High"
			}
			return "Normal"
		}),
		"DeviceManualTags":  str(func(c *rowCtx) string { return `["` + c.dev.Group + `"]` }),
		"DeviceDynamicTags": str(func(c *rowCtx) string { return pick(&c.r, []string{`[]`, `["VIP"]`, `["Internet facing"]`}) }),
		"ConnectivityType":  str(func(c *rowCtx) string { return "Online" }),
		// build-lnx-02 runs as a guest on jump-01.
		"HostDeviceId": str(func(c *rowCtx) string {
			if c.dev.Short == "build-lnx-02" {
				return c.d.t.byName["jump-01"].ID
			}
			return ""
		}),
		"RegistryDeviceTag": str(func(c *rowCtx) string { return pick(&c.r, []string{"", "tier1", "pci"}) }),
		"HardwareUuid":      str(func(c *rowCtx) string { return c.dev.AadID }),
		"CloudPlatforms": str(func(c *rowCtx) string {
			if c.dev.Server {
				return `["Azure"]`
			}
			return ""
		}),
		"AzureVmId": str(func(c *rowCtx) string {
			if c.dev.Server {
				return c.dev.AadID
			}
			return ""
		}),
		"AwsResourceName": str(func(c *rowCtx) string {
			if c.dev.Short == "web-lnx-01" {
				return "arn:aws:ec2:eu-west-2:123456789012:instance/i-0a1b2c3d4e5f60718"
			}
			return ""
		}),
		"GcpFullResourceName": str(func(c *rowCtx) string {
			if c.dev.Short == "build-lnx-02" {
				return "//compute.googleapis.com/projects/larkspur-build/zones/europe-west2-a/instances/build-lnx-02"
			}
			return ""
		}),
		"OsBuildRevision":  str(func(c *rowCtx) string { return strconv.Itoa(3000 + c.r.intn(600)) }),
		"MitigationStatus": str(func(c *rowCtx) string { return pick(&c.r, []string{"", "", `{"Contained":false}`}) }),
		"Site":             str(func(c *rowCtx) string { return "Leeds HQ" }),
		"DiscoverySources": str(func(c *rowCtx) string { return `["MDE"]` }),
		"DeviceRoles": str(func(c *rowCtx) string {
			return map[bool]string{true: `["Server"]`, false: `["Workstation"]`}[c.dev.Server]
		}),
		"DlpInfo": str(func(c *rowCtx) string {
			if c.dev.Server || c.dev.Linux {
				return ""
			}
			return `{"DlpEnabled":true,"PolicyCount":3}`
		}),
	}
}
