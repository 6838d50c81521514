package defender

import (
	"fmt"
	"strings"

	"github.com/defender-steampipe/steampipe-plugin-defender/internal/schema"
)

// newCurrentTable returns the current-state table cs over its source's
// columns: the generic table, with only the latest row of each entity.
func newCurrentTable(cs schema.Current) *table {
	def := schema.Lookup(cs.Source)
	if def == nil || def.TimeColumn == "" {
		panic(fmt.Sprintf("defender: current-state table %s: %s is not a snapshot table with a time column", cs.Name, cs.Source))
	}
	for _, k := range cs.Keys {
		if def.Column(k) == nil {
			panic(fmt.Sprintf("defender: current-state table %s: %s has no column %s", cs.Name, cs.Source, k))
		}
	}
	t := newTable(def)
	t.current = &cs
	return t
}

// currentDescription documents what "current" means for cs.
func currentDescription(cs *schema.Current, timeCol string) string {
	tc := schema.SnakeCase(timeCol)
	return fmt.Sprintf("%s One row per %s: the latest %s row in the time window (the last 30 days unless a condition on %s sets it; `%s < X` gives the state as of X).",
		cs.Description, strings.Join(cs.Keys, " and "), cs.Source, tc, tc)
}

// tooLargeHint is the advice given when the latest rows do not fit in one
// result: the window cannot be split, as it decides which row is latest.
func tooLargeHint(cs *schema.Current) string {
	return fmt.Sprintf("%s keeps the latest %s row per %s over the whole time window, which cannot be split; add conditions on other columns so that fewer rows match",
		cs.Name, cs.Source, strings.Join(cs.Keys, " and "))
}
