package engine

// parser is a recursive-descent parser over the token list.
type parser struct {
	toks []token
	i    int
}

// Parse reads a query in the simulator's KQL subset. It reports syntax
// errors, malformed literals and unsupported operators; names and types are
// checked by Eval.
func Parse(src string) (*Query, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	return p.query()
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) take() token {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

// is reports whether the next token is punctuation or a word spelled s.
func (p *parser) is(s string) bool {
	t := p.peek()
	return (t.kind == tkPunct || t.kind == tkIdent) && t.text == s
}

func (p *parser) accept(s string) bool {
	if p.is(s) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(s string) error {
	if p.accept(s) {
		return nil
	}
	return p.fail("expected '%s'", s)
}

// fail reports a syntax error at the next token.
func (p *parser) fail(format string, args ...any) error {
	t := p.peek()
	near := t.text
	if t.kind == tkEOF {
		near = "<end of query>"
	}
	return syntaxErr(t.pos, near, format, args...)
}

// unsupportedSources are KQL tabular sources outside the subset.
var unsupportedSources = map[string]bool{
	"datatable": true, "print": true, "range": true, "search": true, "find": true,
	"externaldata": true, "materialize": true, "view": true, "evaluate": true, "set": true,
	"declare": true, "alias": true, "pattern": true, "restrict": true, "toscalar": true,
}

// unsupportedOps are KQL tabular operators outside the subset.
var unsupportedOps = map[string]bool{
	"join": true, "lookup": true, "mv-expand": true, "mv-apply": true, "parse": true,
	"parse-where": true, "parse-kv": true, "make-series": true, "render": true, "project-rename": true,
	"project-keep": true, "project-reorder": true, "evaluate": true, "invoke": true, "serialize": true,
	"sample": true, "sample-distinct": true, "search": true, "as": true, "getschema": true, "fork": true,
	"facet": true, "scan": true, "partition": true, "top-nested": true, "top-hitters": true,
	"reduce": true, "consume": true, "find": true, "externaldata": true, "range": true, "print": true,
	"extend-schema": true, "assert-schema": true, "execute-and-cache": true, "macro-expand": true,
}

// query = { let_stmt ";" } tabular [ ";" ]
func (p *parser) query() (*Query, error) {
	q := &Query{}
	for p.is("let") {
		p.take()
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		if err := p.expect("="); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.is("|") {
			return nil, unsupportedErr(p.peek().pos, "a tabular let statement")
		}
		if err := p.expect(";"); err != nil {
			return nil, err
		}
		q.lets = append(q.lets, letStmt{name: name, e: e})
	}
	t := p.peek()
	if t.kind == tkIdent && unsupportedSources[t.text] {
		return nil, unsupportedErr(t.pos, "the '"+t.text+"' source")
	}
	if t.kind == tkEOF {
		return nil, p.fail("the query has no tabular expression")
	}
	if t.kind == tkIdent && t.text == "union" {
		p.take()
		u, err := p.union(false)
		if err != nil {
			return nil, err
		}
		q.ops = append(q.ops, u)
	} else {
		src, err := p.name()
		if err != nil {
			return nil, err
		}
		q.source = src
	}
	for p.accept("|") {
		op, err := p.tabOp()
		if err != nil {
			return nil, err
		}
		q.ops = append(q.ops, op)
	}
	p.accept(";")
	if p.peek().kind != tkEOF {
		return nil, p.fail("unexpected token after the end of the query")
	}
	return q, nil
}

// name = ident | "[" string_lit "]"
func (p *parser) name() (string, error) {
	t := p.peek()
	if t.kind == tkIdent && isPlainIdent(t.text) {
		if reserved[t.text] {
			return "", p.fail("'%s' is a keyword; write ['%s'] to use it as a name", t.text, t.text)
		}
		p.take()
		return t.text, nil
	}
	if t.kind == tkPunct && t.text == "[" && p.peekN(1).kind == tkString && p.peekN(2).text == "]" && p.peekN(2).kind == tkPunct {
		s := p.peekN(1).text
		p.i += 3
		if s == "" {
			return "", syntaxErr(t.pos, "['']", "a name cannot be empty")
		}
		return s, nil
	}
	return "", p.fail("expected a name")
}

// isPlainIdent reports whether s is an identifier rather than a folded
// operator word such as !has or in~.
func isPlainIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}

// reserved words cannot be used as plain names.
var reserved = map[string]bool{
	"and": true, "or": true, "by": true, "asc": true, "desc": true, "let": true, "in": true,
	"between": true, "has": true, "has_cs": true, "hasprefix": true, "hasprefix_cs": true,
	"hassuffix": true, "hassuffix_cs": true, "contains": true, "contains_cs": true,
	"startswith": true, "startswith_cs": true, "endswith": true, "endswith_cs": true,
	"matches": true, "has_any": true, "has_all": true, "where": true, "project": true,
	"extend": true, "summarize": true, "sort": true, "order": true, "top": true, "take": true,
	"limit": true, "distinct": true, "filter": true, "nulls": true, "dynamic": true,
	"true": true, "false": true, "True": true, "False": true, "TRUE": true, "FALSE": true,
}

// tabOp parses one operator after a pipe.
func (p *parser) tabOp() (tabOp, error) {
	t := p.peek()
	if t.kind != tkIdent {
		return nil, p.fail("expected a tabular operator")
	}
	if unsupportedOps[t.text] {
		return nil, unsupportedErr(t.pos, "the '"+t.text+"' operator")
	}
	p.take()
	switch t.text {
	case "where", "filter":
		e, err := p.expr()
		return whereOp{e}, err
	case "project":
		items, err := p.projItems()
		return projectOp{items}, err
	case "extend":
		items, err := p.projItems()
		return extendOp{items}, err
	case "project-away":
		return p.projectAway(t.pos)
	case "take", "limit":
		e, err := p.expr()
		return takeOp{e}, err
	case "sort", "order":
		if err := p.expect("by"); err != nil {
			return nil, err
		}
		keys, err := p.sortKeys()
		return sortOp{keys}, err
	case "top":
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect("by"); err != nil {
			return nil, err
		}
		keys, err := p.sortKeys()
		return topOp{n, keys}, err
	case "count":
		return countOp{}, nil
	case "union":
		return p.union(true)
	case "summarize":
		return p.summarize()
	case "distinct":
		return p.distinct(t.pos)
	}
	return nil, syntaxErr(t.pos, t.text, "unknown tabular operator")
}

func (p *parser) projItems() ([]projItem, error) {
	var items []projItem
	for {
		it, err := p.projItem()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if !p.accept(",") {
			return items, nil
		}
	}
}

// projItem = [ name "=" ] expr
func (p *parser) projItem() (projItem, error) {
	save := p.i
	if n, err := p.name(); err == nil && p.is("=") {
		p.take()
		e, err := p.expr()
		return projItem{name: n, e: e}, err
	}
	p.i = save
	e, err := p.expr()
	return projItem{e: e}, err
}

// projectAway reads names and wildcard patterns such as Device* or *Id.
func (p *parser) projectAway(pos position) (tabOp, error) {
	op := awayOp{pos: pos}
	for {
		pat := ""
		for first := true; ; first = false {
			t := p.peek()
			if !first && t.space {
				break
			}
			if t.kind == tkPunct && t.text == "*" {
				pat += "*"
				p.take()
				continue
			}
			if t.kind == tkIdent && isPlainIdent(t.text) || t.kind == tkPunct && t.text == "[" {
				if !first && pat != "" && pat[len(pat)-1] != '*' {
					break
				}
				n, err := p.name()
				if err != nil {
					return nil, err
				}
				pat += n
				continue
			}
			break
		}
		if pat == "" {
			return nil, p.fail("expected a column name or pattern")
		}
		op.patterns = append(op.patterns, pat)
		if !p.accept(",") {
			return op, nil
		}
	}
}

func (p *parser) sortKeys() ([]sortKey, error) {
	var keys []sortKey
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		k := sortKey{e: e, desc: true}
		if p.accept("asc") {
			k.desc = false
		} else {
			p.accept("desc")
		}
		k.nullsFirst = !k.desc
		if p.accept("nulls") {
			switch {
			case p.accept("first"):
				k.nullsFirst = true
			case p.accept("last"):
				k.nullsFirst = false
			default:
				return nil, p.fail("expected 'first' or 'last' after 'nulls'")
			}
		}
		keys = append(keys, k)
		if !p.accept(",") {
			return keys, nil
		}
	}
}

// summarize = "summarize" [ agg_item { "," agg_item } ] [ "by" proj_item { "," proj_item } ]
func (p *parser) summarize() (tabOp, error) {
	var op summarizeOp
	if !p.is("by") && !p.atOpEnd() {
		for {
			var it aggItem
			save := p.i
			if n, err := p.name(); err == nil && p.is("=") {
				p.take()
				it.name = n
			} else {
				p.i = save
			}
			t := p.peek()
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			call, ok := e.(*callExpr)
			if !ok {
				return nil, unsupportedErr(t.pos, "a summarize expression other than a single aggregation call")
			}
			it.call = call
			op.aggs = append(op.aggs, it)
			if !p.accept(",") {
				break
			}
		}
	}
	if p.accept("by") {
		items, err := p.projItems()
		if err != nil {
			return nil, err
		}
		op.by = items
	}
	if len(op.aggs) == 0 && len(op.by) == 0 {
		return nil, p.fail("summarize needs an aggregation or a by clause")
	}
	return op, nil
}

// atOpEnd reports whether the next token ends the current operator.
func (p *parser) atOpEnd() bool {
	t := p.peek()
	return t.kind == tkEOF || (t.kind == tkPunct && (t.text == "|" || t.text == ";"))
}

func (p *parser) distinct(pos position) (tabOp, error) {
	op := distinctOp{pos: pos}
	if p.accept("*") {
		return op, nil
	}
	for {
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		op.cols = append(op.cols, n)
		if !p.accept(",") {
			return op, nil
		}
	}
}
