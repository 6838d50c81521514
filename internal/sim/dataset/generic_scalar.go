package dataset

import (
	"strings"
	"time"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// dateGen produces datetime columns. The table's time column is the row
// time; other datetimes sit before or after it as their names suggest.
func dateGen(t *schema.Table, name string) gen {
	if name == t.TimeColumn {
		return func(c *rowCtx) engine.Value { return c.t }
	}
	before := func(max time.Duration) gen {
		return func(c *rowCtx) engine.Value {
			return c.t.Add(-time.Duration(c.r.next()%uint64(max/tick)) * tick)
		}
	}
	switch {
	case name == "ProcessCreationTime":
		return func(c *rowCtx) engine.Value {
			if p := c.process(); p != nil {
				return p.created
			}
			return c.t.Add(-time.Duration(c.r.between(1, 5e7)) * tick)
		}
	case name == "InitiatingProcessCreationTime":
		return procTime((*rowCtx).initiating)
	case name == "InitiatingProcessParentCreationTime":
		return procTime((*rowCtx).initiatingParent)
	case hasAny(name, "Deleted"):
		return func(c *rowCtx) engine.Value {
			if c.r.chance(0.9) {
				return nil
			}
			return c.t.Add(-time.Duration(c.r.between(1, 72)) * time.Hour)
		}
	case hasAny(name, "Expiration", "EndOfSupport"):
		return func(c *rowCtx) engine.Value {
			return c.t.Add(time.Duration(c.r.between(1, 900)) * day).Truncate(time.Second)
		}
	case hasAny(name, "EndTime", "AggregationEnd", "LastEvent"):
		return func(c *rowCtx) engine.Value { return c.t.Add(time.Duration(c.r.between(1, 3600e7)) * tick) }
	case hasAny(name, "Password", "Created", "Creation", "Added", "Published", "Issue", "Install", "IdentityLink", "CreatedOn"):
		return func(c *rowCtx) engine.Value {
			return c.t.Add(-time.Duration(c.r.between(1, 700)) * day).Add(-time.Duration(c.r.between(0, 86399)) * time.Second)
		}
	}
	return before(48 * time.Hour)
}

func procTime(p func(*rowCtx) *proc) gen {
	return func(c *rowCtx) engine.Value {
		if x := p(c); x != nil {
			return x.created
		}
		return nil
	}
}

// boolGen produces bool columns with name-dependent odds: rare flags are
// usually false, health and compliance flags usually true.
func boolGen(name string) gen {
	p := 0.5
	switch {
	case hasAny(name, "External", "Anonymous", "Tor", "Suspicious", "Guest", "Excluded", "Transient",
		"Hidden", "Impersonated", "Remote", "Exempt", "Admin", "Anomalous", "Managed", "Internet"):
		p = 0.08
	case hasAny(name, "Compliant", "Applicable", "Signed", "Trusted", "Enabled", "Primary", "Status",
		"Joined", "Activated", "Required", "Policy", "Microsoft", "Expected"):
		p = 0.85
	}
	return func(c *rowCtx) engine.Value { return c.r.chance(p) }
}

// intGen produces int and long columns.
func intGen(name string, t schema.Type) gen {
	procField := func(p func(*rowCtx) *proc, f func(*proc) int64) gen {
		return func(c *rowCtx) engine.Value {
			if x := p(c); x != nil {
				return f(x)
			}
			return nil
		}
	}
	self := (*rowCtx).process
	init := (*rowCtx).initiating
	parent := (*rowCtx).initiatingParent
	pid := func(p *proc) int64 { return p.pid }
	switch name {
	case "ProcessId":
		return func(c *rowCtx) engine.Value {
			if p := c.process(); p != nil {
				return p.pid
			}
			return c.r.between(250, 16000) * 4
		}
	case "InitiatingProcessId":
		return procField(init, pid)
	case "InitiatingProcessParentId":
		return procField(parent, pid)
	case "LogonId":
		return procField(self, func(p *proc) int64 { return p.logonID })
	case "InitiatingProcessLogonId":
		return procField(init, func(p *proc) int64 { return p.logonID })
	case "InitiatingProcessSessionId":
		return procField(init, func(p *proc) int64 { return p.session })
	case "CreatedProcessSessionId":
		return procField(self, func(p *proc) int64 { return p.session })
	case "InitiatingProcessFileSize":
		return func(c *rowCtx) engine.Value {
			if p := c.initiating(); p != nil {
				return p.img.v.Size
			}
			return nil
		}
	case "FileSize":
		return func(c *rowCtx) engine.Value {
			if c.f != nil {
				return c.f.v.Size
			}
			return c.r.between(512, 40e6)
		}
	case "ReportId":
		return func(c *rowCtx) engine.Value { return int64(c.i)*7 + c.r.between(1, 6) + 10000 }
	case "ErrorCode":
		return func(c *rowCtx) engine.Value { return int64(0) }
	case "OSBuild":
		return func(c *rowCtx) engine.Value { return c.dev.OSBuild }
	case "ApplicationId", "AppInstanceId":
		return func(c *rowCtx) engine.Value { return pick(&c.r, cloudApps).Num }
	}
	switch {
	case strings.HasSuffix(name, "Port"):
		return func(c *rowCtx) engine.Value {
			if strings.HasPrefix(name, "Local") || strings.HasPrefix(name, "Source") || name == "Port" {
				return c.r.between(49152, 65535)
			}
			return c.ep.Port
		}
	case strings.HasSuffix(name, "ProcessId"), strings.HasSuffix(name, "SessionId"):
		return func(c *rowCtx) engine.Value { return c.r.between(250, 16000) * 4 }
	case hasAny(name, "Risk", "Criticality", "RiskState", "TokenIssuer"):
		return func(c *rowCtx) engine.Value { return int64(pick(&c.r, []int{0, 0, 0, 1, 2, 10, 50})) }
	case anyPrefix(name, "Is") && t == schema.Int, name == "IsManaged", name == "IsCompliant":
		return func(c *rowCtx) engine.Value { return int64(c.r.intn(2)) }
	case hasAny(name, "Count", "Instance"):
		return func(c *rowCtx) engine.Value { return c.r.between(0, 40) }
	case hasAny(name, "Size", "Length", "Duration"):
		return func(c *rowCtx) engine.Value { return c.r.between(120, 2e6) }
	case hasAny(name, "Level", "Type", "Status", "Mode"):
		return func(c *rowCtx) engine.Value { return c.r.between(0, 4) }
	case strings.HasSuffix(name, "Id"), name == "AccountTenantId":
		return func(c *rowCtx) engine.Value { return c.r.between(1e5, 9e9) }
	}
	if t == schema.Long {
		return func(c *rowCtx) engine.Value { return c.r.between(0, 1e7) }
	}
	return func(c *rowCtx) engine.Value { return c.r.between(0, 1000) }
}
