package engine

// Stats counts the work a query's filters did, as a model of what Kusto
// charges for: a where clause reads every row of a stored table unless
// the term index can rule rows out first.
type Stats struct {
	// Scanned is the number of rows on which a where clause evaluated its
	// predicate (its exact string tests among them).
	Scanned int64
	// Skipped is the number of rows of a stored table that the term index
	// ruled out before the predicate read them.
	Skipped int64
}

// minIndexedTerm is the shortest term Kusto's term index holds.
const minIndexedTerm = 3

// indexTerms returns the conjuncts of pred that Kusto's term index can
// answer: `C has "term"` or `C has_cs "term"` at the top level of an and
// chain, where C is a column and term is a single term (only term
// characters) of at least three characters. Rows failing any of them are
// never read by the scan.
func indexTerms(pred expr) []expr {
	var out []expr
	var walk func(e expr)
	walk = func(e expr) {
		b, ok := e.(*binExpr)
		if !ok {
			return
		}
		if b.op == "and" {
			walk(b.l)
			walk(b.r)
			return
		}
		if b.op != "has" && b.op != "has_cs" {
			return
		}
		if _, ok := b.l.(*nameExpr); !ok {
			return
		}
		lit, ok := b.r.(*litExpr)
		if !ok {
			return
		}
		term, ok := lit.v.(string)
		if !ok || len(term) < minIndexedTerm {
			return
		}
		for i := 0; i < len(term); i++ {
			if !isTermByte(term[i]) {
				return
			}
		}
		out = append(out, e)
	}
	walk(pred)
	return out
}
