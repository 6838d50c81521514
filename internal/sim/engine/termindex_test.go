package engine

import "testing"

// TestTermIndexStats checks which where clauses the modelled term index
// answers, and that it changes the counts but never the rows.
func TestTermIndexStats(t *testing.T) {
	for _, tc := range []struct {
		q                string
		rows             int
		scanned, skipped int64
	}{
		// No indexable test: every row is scanned.
		{`T | where Name contains_cs "gamma"`, 1, 5, 0},
		// One term of at least three characters: only its rows are read.
		{`T | where Name has_cs "gamma" and Name contains_cs "gam"`, 1, 1, 4},
		{`T | where Id > 0 and Name has "BETA"`, 1, 1, 4},
		// Anywhere in the and chain, and every indexable test narrows.
		{`T | where (Id > 0 and Name has "alpha") and Name has_cs "Alpha"`, 1, 1, 4},
		// Too short, several terms, under or/not, or not on a column:
		// the index is not used.
		{`T | where Name has "be"`, 0, 5, 0},
		{`T | where Name has "beta gamma"`, 1, 5, 0},
		{`T | where Name has "beta" or Id == 1`, 2, 5, 0},
		{`T | where not(Name has "beta")`, 4, 5, 0},
		{`T | where tolower(Name) has "beta"`, 1, 5, 0},
		// Only a where on the stored table uses it.
		{`T | where Id > 1 | where Name has "beta"`, 1, 5 + 4, 0},
		{`T | extend N = Name | where N has "beta"`, 1, 5, 0},
	} {
		q, err := Parse(tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		res, err := q.Eval(testCatalog(), fixedClock)
		if err != nil {
			t.Fatalf("%s: %v", tc.q, err)
		}
		if len(res.Rows) != tc.rows || res.Stats.Scanned != tc.scanned || res.Stats.Skipped != tc.skipped {
			t.Errorf("%s: %d rows, scanned %d, skipped %d; want %d, %d, %d", tc.q,
				len(res.Rows), res.Stats.Scanned, res.Stats.Skipped, tc.rows, tc.scanned, tc.skipped)
		}
	}
}
