package dataset

import (
	"strconv"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/sim/engine"
)

var keyBehavior = keyOf("behavior")

// behaviorID is the id of row b of BehaviorInfo; BehaviorEntities rows
// point back to it.
func (d *Dataset) behaviorID(b int) string {
	r := newRng(d.seed, keyBehavior, b)
	return "ba" + strconv.FormatUint(r.next()%1e18, 10)
}

func init() {
	defs["BehaviorInfo"] = &tableDef{
		cols: map[string]gen{
			"BehaviorId": str(func(c *rowCtx) string { return c.d.behaviorID(c.i) }),
		},
	}
	defs["BehaviorEntities"] = &tableDef{
		prep: func(c *rowCtx) {
			// Each behavior has two entities.
			b := c.i / 2
			if n := c.d.rows["BehaviorInfo"]; n > 0 {
				b %= n
			}
			c.item = b
			c.t = c.d.timeOf(keyOf("BehaviorInfo"), b)
		},
		cols: map[string]gen{
			"BehaviorId": func(c *rowCtx) engine.Value { return c.d.behaviorID(c.item.(int)) },
			"EntityType": func(c *rowCtx) engine.Value { return []string{"User", "Machine"}[c.i%2] },
		},
	}
}
