package engine

// expr is a scalar expression node.
type expr interface{ at() position }

type (
	// litExpr is a literal value of a known type.
	litExpr struct {
		v   Value
		t   Type
		pos position
	}
	// nameExpr refers to a column or a let-bound name.
	nameExpr struct {
		name string
		pos  position
	}
	// callExpr is a function call.
	callExpr struct {
		fn   string
		args []expr
		pos  position
	}
	// binExpr is a binary operator such as ==, has or +.
	binExpr struct {
		op   string
		l, r expr
		pos  position
	}
	// listExpr is in, !in, in~, !in~, has_any or has_all with its list.
	listExpr struct {
		op    string
		l     expr
		items []expr
		pos   position
	}
	// betweenExpr is between or !between.
	betweenExpr struct {
		neg       bool
		l, lo, hi expr
		pos       position
	}
	// unaryExpr is unary minus or plus.
	unaryExpr struct {
		op  string
		x   expr
		pos position
	}
	// memberExpr is d.key on a dynamic value.
	memberExpr struct {
		x   expr
		key string
		pos position
	}
	// indexExpr is d[i] or d["key"] on a dynamic value.
	indexExpr struct {
		x, idx expr
		pos    position
	}
	// starExpr is the wildcard argument of arg_max(x, *): every column.
	starExpr struct{ pos position }
)

func (e *litExpr) at() position     { return e.pos }
func (e *nameExpr) at() position    { return e.pos }
func (e *callExpr) at() position    { return e.pos }
func (e *binExpr) at() position     { return e.pos }
func (e *listExpr) at() position    { return e.pos }
func (e *betweenExpr) at() position { return e.pos }
func (e *unaryExpr) at() position   { return e.pos }
func (e *memberExpr) at() position  { return e.pos }
func (e *indexExpr) at() position   { return e.pos }
func (e *starExpr) at() position    { return e.pos }

// letStmt binds a scalar name for the rest of the query.
type letStmt struct {
	name string
	e    expr
}

// projItem is an optionally named expression in project, extend or summarize by.
type projItem struct {
	name string // empty when not given
	e    expr
}

// sortKey is one key of sort or top.
type sortKey struct {
	e          expr
	desc       bool
	nullsFirst bool
}

// aggItem is one aggregation of summarize.
type aggItem struct {
	name string // empty when not given
	call *callExpr
}

// tabOp is one tabular operator after a pipe.
type tabOp interface{ name() string }

type (
	whereOp   struct{ pred expr }
	projectOp struct{ items []projItem }
	extendOp  struct{ items []projItem }
	awayOp    struct {
		patterns []string
		pos      position
	}
	takeOp struct{ n expr }
	sortOp struct{ keys []sortKey }
	topOp  struct {
		n    expr
		keys []sortKey
	}
	countOp     struct{}
	summarizeOp struct {
		aggs []aggItem
		by   []projItem
	}
	distinctOp struct {
		cols []string // nil means *
		pos  position
	}
)

func (whereOp) name() string     { return "where" }
func (projectOp) name() string   { return "project" }
func (extendOp) name() string    { return "extend" }
func (awayOp) name() string      { return "project-away" }
func (takeOp) name() string      { return "take" }
func (sortOp) name() string      { return "sort" }
func (topOp) name() string       { return "top" }
func (countOp) name() string     { return "count" }
func (summarizeOp) name() string { return "summarize" }
func (distinctOp) name() string  { return "distinct" }

// Query is a parsed query, ready to evaluate against a catalog.
type Query struct {
	lets   []letStmt
	source string // the source table; empty when the query starts with union
	ops    []tabOp
}
