package dataset

import (
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

// genericGen chooses a generator for a column from its name and type. It
// covers every column that a table does not generate specifically.
func genericGen(t *schema.Table, c schema.Column) gen {
	switch c.Type {
	case schema.DateTime:
		return dateGen(t, c.Name)
	case schema.Bool:
		return boolGen(c.Name)
	case schema.Int, schema.Long:
		return intGen(c.Name, c.Type)
	case schema.Real:
		return func(x *rowCtx) engine.Value { return float64(x.r.intn(101)) / 10 }
	case schema.GUID:
		return guidGen(c.Name)
	case schema.Dynamic:
		return dynamicGen(c.Name)
	}
	if c.JSONText {
		return jsonTextGen(t, c.Name)
	}
	return stringGen(t, c.Name)
}

// guidGen produces guid-typed columns, reusing entity ids where the name
// says which entity it is.
func guidGen(name string) gen {
	switch {
	case strings.HasSuffix(name, "DeviceId"):
		return func(c *rowCtx) engine.Value { return engine.GUID(c.dev.AadID) }
	case name == "NetworkMessageId":
		return func(c *rowCtx) engine.Value {
			if c.mail != nil {
				return engine.GUID(c.mail.ID)
			}
			return engine.GUID(c.r.guid())
		}
	}
	return func(c *rowCtx) engine.Value { return engine.GUID(c.r.guid()) }
}

// hasAny reports whether s contains any of the substrings.
func hasAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// anyPrefix reports whether s starts with any of the prefixes.
func anyPrefix(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
