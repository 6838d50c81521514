package dataset

import (
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// node is a vertex of the exposure graph: a device, a user or a CVE.
type node struct {
	ID, Label, Name string
	Categories      []any
	Props           map[string]any
}

// nodes lists the exposure graph's vertices: devices, then users, then
// CVEs.
func (d *Dataset) nodes() []node {
	var out []node
	for _, dv := range d.t.Devices {
		out = append(out, node{"dev-" + dv.ID[:24], "device", dv.Name, []any{"device", "endpoint"},
			map[string]any{"rawData": map[string]any{"osPlatform": dv.OS, "deviceId": dv.ID, "exposureScore": nil}}})
	}
	for _, u := range d.t.Users {
		out = append(out, node{"usr-" + u.ObjectID, "user", u.UPN, []any{"identity"},
			map[string]any{"rawData": map[string]any{"accountUpn": u.UPN, "isAdmin": u.Admin}}})
	}
	for _, c := range cveCatalog {
		out = append(out, node{"cve-" + c.ID, "vulnerability", c.ID, []any{"vulnerability"},
			map[string]any{"rawData": map[string]any{"severity": c.Severity, "cvss": c.Score}}})
	}
	return out
}

// edge is a relation between two nodes.
type edge struct {
	From, To int
	Label    string
}

// edges links users to the devices they sign in to and devices to the CVEs
// they are exposed to.
func (d *Dataset) edges() []edge {
	nd, nu := len(d.t.Devices), len(d.t.Users)
	var out []edge
	for i, dv := range d.t.Devices {
		for k, u := range d.t.Users {
			if dv.Primary == u {
				out = append(out, edge{nd + k, i, "can authenticate to"})
			}
		}
	}
	for _, v := range d.tvm.vulns {
		for i, dv := range d.t.Devices {
			for k := range cveCatalog {
				if dv == v.dev && &cveCatalog[k] == v.cve {
					out = append(out, edge{i, nd + nu + k, "affecting"})
				}
			}
		}
	}
	return out
}

func init() {
	nodeOf := func(c *rowCtx) *node { return c.item.(*node) }
	defs["ExposureGraphNodes"] = &tableDef{
		prep: func(c *rowCtx) {
			c.item = &c.d.gnodes[c.i%len(c.d.gnodes)]
		},
		cols: map[string]gen{
			"NodeId":         str(func(c *rowCtx) string { return nodeOf(c).ID }),
			"NodeLabel":      str(func(c *rowCtx) string { return nodeOf(c).Label }),
			"NodeName":       str(func(c *rowCtx) string { return nodeOf(c).Name }),
			"Categories":     func(c *rowCtx) engine.Value { return engine.Dynamic{V: nodeOf(c).Categories} },
			"NodeProperties": func(c *rowCtx) engine.Value { return engine.Dynamic{V: nodeOf(c).Props} },
			"EntityIds": func(c *rowCtx) engine.Value {
				return engine.Dynamic{V: []any{map[string]any{"type": nodeOf(c).Label, "id": nodeOf(c).ID}}}
			},
		},
		size: func(d *Dataset) int { return len(d.gnodes) },
	}
	type pair struct {
		e        edge
		from, to *node
	}
	pairOf := func(c *rowCtx) *pair { return c.item.(*pair) }
	defs["ExposureGraphEdges"] = &tableDef{
		prep: func(c *rowCtx) {
			ns, es := c.d.gnodes, c.d.gedges
			e := es[c.i%len(es)]
			c.item = &pair{e, &ns[e.From], &ns[e.To]}
		},
		cols: map[string]gen{
			"EdgeId":               str(func(c *rowCtx) string { return c.r.guid() }),
			"EdgeLabel":            str(func(c *rowCtx) string { return pairOf(c).e.Label }),
			"SourceNodeId":         str(func(c *rowCtx) string { return pairOf(c).from.ID }),
			"SourceNodeName":       str(func(c *rowCtx) string { return pairOf(c).from.Name }),
			"SourceNodeLabel":      str(func(c *rowCtx) string { return pairOf(c).from.Label }),
			"SourceNodeCategories": func(c *rowCtx) engine.Value { return engine.Dynamic{V: pairOf(c).from.Categories} },
			"TargetNodeId":         str(func(c *rowCtx) string { return pairOf(c).to.ID }),
			"TargetNodeName":       str(func(c *rowCtx) string { return pairOf(c).to.Name }),
			"TargetNodeLabel":      str(func(c *rowCtx) string { return pairOf(c).to.Label }),
			"TargetNodeCategories": func(c *rowCtx) engine.Value { return engine.Dynamic{V: pairOf(c).to.Categories} },
		},
		size: func(d *Dataset) int { return len(d.gedges) },
	}
}
