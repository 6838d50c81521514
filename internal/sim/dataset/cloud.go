package dataset

import (
	"strconv"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// The cloud workload tables describe containers on the two Linux servers.
func init() {
	linux := func(c *rowCtx) {
		c.dev = c.d.t.byName[pick(&c.r, []string{"web-lnx-01", "build-lnx-02"})]
		c.u = c.dev.Primary
		if p := c.process(); p != nil {
			c.f = p.img
		}
	}
	pidText := func(p func(*rowCtx) *proc) gen {
		return str(func(c *rowCtx) string {
			if x := p(c); x != nil {
				return strconv.FormatInt(x.pid, 10)
			}
			return ""
		})
	}
	defs["CloudProcessEvents"] = &tableDef{
		prep: linux,
		cols: map[string]gen{
			"ParentProcessName": func(c *rowCtx) engine.Value {
				if p := c.initiating(); p != nil {
					return p.img.v.Name
				}
				return ""
			},
			"ParentProcessId":     pidText((*rowCtx).initiating),
			"InitiatingProcessId": pidText((*rowCtx).initiating),
			"AccountName": func(c *rowCtx) engine.Value {
				if p := c.process(); p != nil {
					return p.acct.v.Name
				}
				return "root"
			},
		},
	}
	defs["CloudDnsEvents"] = &tableDef{prep: linux}
}
