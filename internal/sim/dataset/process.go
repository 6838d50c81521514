package dataset

import (
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// account is the security principal a process runs as.
type account struct {
	Domain, Name, SID, UPN, ObjectID, Display string
	// v holds the same fields as engine values, boxed once so that
	// scans do not allocate for them.
	v struct{ Domain, Name, SID, UPN, ObjectID, Display engine.Value }
}

func newAccount(domain, name, sid, upn, oid, display string) *account {
	a := &account{Domain: domain, Name: name, SID: sid, UPN: upn, ObjectID: oid, Display: display}
	a.v.Domain, a.v.Name, a.v.SID, a.v.UPN, a.v.ObjectID, a.v.Display = domain, name, sid, upn, oid, display
	return a
}

var (
	systemAcct  = newAccount("nt authority", "system", "S-1-5-18", "", "", "")
	localSvc    = newAccount("nt authority", "local service", "S-1-5-19", "", "", "")
	networkSvc  = newAccount("nt authority", "network service", "S-1-5-20", "", "", "")
	serviceAccs = []*account{systemAcct, systemAcct, localSvc, networkSvc}
)

func userAccount(u *user) *account {
	return newAccount(strings.ToLower(netbios), u.Name, u.SID, u.UPN, u.ObjectID, u.Display)
}

// proc is one process instance.
type proc struct {
	img        *image
	dev        *device
	row        int // DeviceProcessEvents row that created it, or -1 for a root
	pid        int64
	created    time.Time
	cmd        engine.Value
	acct       *account
	logonID    int64
	session    int64
	uniq       int64
	integrity  engine.Value
	elevation  engine.Value
	remote     bool
	encodedCmd bool
}

var (
	keyProc = keyOf("DeviceProcessEvents")
	keyImg  = keyOf("process-image")
	keyRoot = keyOf("process-root")
)

// storyEncoded reports whether DeviceProcessEvents row j is a planted
// encoded PowerShell launch: row 5 and every 97th row after it that lands on
// a Windows device.
func (d *Dataset) storyEncoded(j int) bool {
	dev := d.t.slots[j%len(d.t.slots)]
	return j%97 == 5 && !dev.Linux && !dev.Mac
}

// imageOf is the image of the process created by DeviceProcessEvents row j.
func (d *Dataset) imageOf(j int) *image {
	if d.storyEncoded(j) {
		return psImage
	}
	if j < len(specialImages) && specialImages[j] != nil {
		return specialImages[j]
	}
	dev := d.t.slots[j%len(d.t.slots)]
	r := newRng(d.seed, keyImg, j)
	return pick(&r, dev.imgs)
}

var psImage = func() *image {
	for _, im := range windowsImages {
		if im.Name == "powershell.exe" {
			return im
		}
	}
	panic("dataset: powershell.exe missing from the image catalog")
}()

// procOf is the process created by DeviceProcessEvents row j. Row j runs on
// the device owning slot j mod len(slots), so rows j±k·len(slots) share it.
func (d *Dataset) procOf(j int, p *proc) {
	dev := d.t.slots[j%len(d.t.slots)]
	im := d.imageOf(j)
	r := newRng(d.seed, keyProc^0x9e37, j)
	*p = proc{img: im, dev: dev, row: j, created: d.timeOf(keyProc, j), cmd: pick(&r, im.v.Cmds)}
	if d.storyEncoded(j) {
		p.cmd = encodedCommands[(j/97)%len(encodedCommands)]
		p.encodedCmd = true
	}
	if dev.Linux || dev.Mac {
		p.pid = r.between(300, 99999)
	} else {
		p.pid = r.between(250, 16000) * 4
	}
	p.uniq = r.between(1e13, 9e14)
	if j == 14 {
		p.uniq = 9223372036854775801 // above 2^53
	}
	switch {
	case im.User && dev.Server && !dev.Linux:
		p.acct = d.acct(d.t.Users[36])
	case im.User && r.chance(0.9):
		p.acct = d.acct(dev.Primary)
	case im.User:
		p.acct = d.acct(pick(&r, d.t.humans()))
	case dev.Linux || dev.Mac:
		p.acct = dev.root
	default:
		p.acct = pick(&r, serviceAccs)
	}
	if p.acct.UPN != "" {
		p.logonID, p.session = r.between(100000, 90000000), r.between(1, 3)
		p.integrity, p.elevation = engine.Value("Medium"), engine.Value("TokenElevationTypeLimited")
		if r.chance(0.15) || p.encodedCmd {
			p.integrity, p.elevation = engine.Value("High"), engine.Value("TokenElevationTypeFull")
		}
		p.remote = dev.Server && r.chance(0.5)
	} else {
		p.logonID, p.session = 999, 0
		p.integrity, p.elevation = engine.Value("System"), engine.Value("TokenElevationTypeDefault")
	}
}

// acct returns the account of u.
func (d *Dataset) acct(u *user) *account { return u.acct }

// parentRow finds the DeviceProcessEvents row that started row j's
// process: one of the nearest earlier rows on the same device (any of the
// device's slots), created before it, whose
// image is a plausible parent, or failing that any earlier launcher such
// as a shell. Only earlier rows are searched, so a row never depends on
// the table's length. It returns -1 when none is close enough, and the
// process then descends from a long-lived root.
func (d *Dataset) parentRow(j int, im *image, t time.Time) int {
	k := len(d.t.slots)
	slots := d.t.slotIdx[d.t.slots[j%k]]
	fallback, tried := -1, 0
	for base := j - j%k; base >= 0 && tried < 16; base -= k {
		for _, s := range slots {
			c := base + s
			if c >= j {
				continue
			}
			tried++
			cim := d.imageOf(c)
			if !cim.Launcher {
				continue
			}
			plausible := hasName(im.Parents, cim.Name)
			if (!plausible && fallback >= 0) || d.timeOf(keyProc, c).After(t) {
				continue
			}
			if plausible {
				return c
			}
			fallback = c
		}
	}
	return fallback
}

func hasName(names []string, n string) bool {
	for _, x := range names {
		if strings.EqualFold(x, n) {
			return true
		}
	}
	return false
}

// rootProc fills p with the long-lived root im on dev. Its id and start
// time depend only on the device, so every child agrees on them.
func (d *Dataset) rootProc(im *image, dev *device, p *proc) {
	r := newRng(d.seed, keyRoot^keyOf(dev.ID), int(keyOf(im.Name)%1000))
	*p = proc{img: im, dev: dev, row: -1, cmd: im.v.Cmds[0], uniq: r.between(1e12, 9e12)}
	p.created = d.now.Add(-oldLast - time.Duration(r.between(0, 10*24*3600))*time.Second)
	if dev.Linux || dev.Mac {
		p.pid = r.between(1, 299)
		p.acct = dev.root
		if im.Name == "systemd" || im.Name == "launchd" {
			p.pid = 1
		}
	} else {
		p.pid = r.between(100, 240) * 4
		p.acct = systemAcct
		if im.User {
			p.acct = d.acct(dev.Primary)
		}
	}
	p.logonID, p.integrity, p.elevation = 999, engine.Value("System"), engine.Value("TokenElevationTypeDefault")
	if p.acct.UPN != "" {
		p.logonID, p.session = r.between(100000, 900000), 1
		p.integrity, p.elevation = engine.Value("Medium"), engine.Value("TokenElevationTypeLimited")
	}
}

// parentOf fills out with the parent of process p and reports whether it
// has one.
func (d *Dataset) parentOf(p *proc, out *proc) bool {
	if p.row >= 0 {
		if j := d.parentRow(p.row, p.img, p.created); j >= 0 {
			d.procOf(j, out)
			return true
		}
		d.rootProc(rootFor(p.img, p.dev), p.dev, out)
		return true
	}
	for _, name := range p.img.Parents {
		if r, ok := roots[strings.ToLower(name)]; ok {
			d.rootProc(r, p.dev, out)
			return true
		}
	}
	return false
}

// processRow sets the context's process, initiating process and its parent
// for row j of DeviceProcessEvents.
func (c *rowCtx) processRow(j int) {
	c.p = &c.procs[0]
	c.d.procOf(j, c.p)
	c.ip, c.gp = nil, nil
	if c.d.parentOf(c.p, &c.procs[1]) {
		c.ip = &c.procs[1]
		if c.d.parentOf(c.ip, &c.procs[2]) {
			c.gp = &c.procs[2]
		}
	}
	c.dev = c.p.dev
	c.t = c.p.created
	c.ipDone = true
}

// initiatingOnDevice sets the initiating process (and its parent) to a
// process created by a DeviceProcessEvents row on the context's device, so
// other Device* tables join back to process creation events.
func (c *rowCtx) initiatingOnDevice() {
	d := c.d
	c.ip, c.gp, c.ipDone = nil, nil, true
	j := c.procRowOnDevice()
	if j < 0 {
		return
	}
	c.ip = &c.procs[1]
	d.procOf(j, c.ip)
	if d.parentOf(c.ip, &c.procs[2]) {
		c.gp = &c.procs[2]
	}
}

// procRowOnDevice picks a DeviceProcessEvents row on the context's device,
// or returns -1 if there is none.
func (c *rowCtx) procRowOnDevice() int {
	d := c.d
	slots := d.t.slotIdx[c.dev]
	if d.nProc == 0 || len(slots) == 0 {
		return -1
	}
	s := slots[c.r.intn(len(slots))]
	per := (d.nProc - s + len(d.t.slots) - 1) / len(d.t.slots)
	if per <= 0 {
		return -1
	}
	return s + len(d.t.slots)*c.r.intn(per)
}

// process is the row's subject process. Tables whose model does not fix
// one get a process created on the row's device.
func (c *rowCtx) process() *proc {
	if c.p == nil {
		if j := c.procRowOnDevice(); j >= 0 {
			c.p = &c.procs[0]
			c.d.procOf(j, c.p)
		}
	}
	return c.p
}

// initiating is the process that caused the row's event, chosen on first
// use for tables whose model does not fix it.
func (c *rowCtx) initiating() *proc {
	if !c.ipDone {
		c.initiatingOnDevice()
	}
	return c.ip
}

// initiatingParent is the initiating process's parent.
func (c *rowCtx) initiatingParent() *proc {
	c.initiating()
	return c.gp
}
