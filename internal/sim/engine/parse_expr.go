package engine

import (
	"encoding/json"
	"strconv"
)

// strOps are the string operators; they bind tighter than * / %.
var strOps = map[string]bool{
	"=~": true, "!~": true, "contains": true, "!contains": true, "contains_cs": true, "!contains_cs": true,
	"startswith": true, "!startswith": true, "startswith_cs": true, "!startswith_cs": true,
	"endswith": true, "!endswith": true, "endswith_cs": true, "!endswith_cs": true,
	"has": true, "!has": true, "has_cs": true, "!has_cs": true,
	"hasprefix": true, "!hasprefix": true, "hasprefix_cs": true, "!hasprefix_cs": true,
	"hassuffix": true, "!hassuffix": true, "hassuffix_cs": true, "!hassuffix_cs": true,
}

// listOps take a parenthesised list on the right.
var listOps = map[string]bool{
	"in": true, "!in": true, "in~": true, "!in~": true, "has_any": true, "has_all": true,
}

// unsupportedWordOps are KQL operators outside the subset.
var unsupportedWordOps = map[string]bool{
	"like": true, "notlike": true, "likecs": true, "notlikecs": true, "!matches": true,
	"has_any_cs": true, "has_all_cs": true, "!has_any": true, "!has_all": true,
	"contains_any": true,
}

func (p *parser) expr() (expr, error) { return p.orExpr() }

func (p *parser) orExpr() (expr, error) {
	l, err := p.andExpr()
	for err == nil && p.is("or") {
		t := p.take()
		var r expr
		if r, err = p.andExpr(); err == nil {
			l = &binExpr{op: "or", l: l, r: r, pos: t.pos}
		}
	}
	return l, err
}

func (p *parser) andExpr() (expr, error) {
	l, err := p.eqExpr()
	for err == nil && p.is("and") {
		t := p.take()
		var r expr
		if r, err = p.eqExpr(); err == nil {
			l = &binExpr{op: "and", l: l, r: r, pos: t.pos}
		}
	}
	return l, err
}

// eqExpr parses the non-associative equality, list and between level.
func (p *parser) eqExpr() (expr, error) {
	l, err := p.relExpr()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	switch {
	case t.kind == tkPunct && (t.text == "==" || t.text == "!=" || t.text == "<>"):
		p.take()
		r, err := p.relExpr()
		if err != nil {
			return nil, err
		}
		op := t.text
		if op == "<>" {
			op = "!="
		}
		l = &binExpr{op: op, l: l, r: r, pos: t.pos}
	case t.kind == tkIdent && listOps[t.text]:
		p.take()
		items, err := p.exprList()
		if err != nil {
			return nil, err
		}
		l = &listExpr{op: t.text, l: l, items: items, pos: t.pos}
	case t.kind == tkIdent && (t.text == "between" || t.text == "!between"):
		p.take()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		lo, err := p.addExpr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(".."); err != nil {
			return nil, err
		}
		hi, err := p.addExpr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		l = &betweenExpr{neg: t.text == "!between", l: l, lo: lo, hi: hi, pos: t.pos}
	default:
		return l, nil
	}
	if n := p.peek(); (n.kind == tkPunct && (n.text == "==" || n.text == "!=" || n.text == "<>")) ||
		(n.kind == tkIdent && (listOps[n.text] || n.text == "between" || n.text == "!between")) {
		return nil, p.fail("comparison operators cannot be chained; add parentheses")
	}
	return l, nil
}

// exprList parses "(" expr { "," expr } ")"; an empty list is an error.
func (p *parser) exprList() ([]expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	if p.is(")") {
		return nil, p.fail("the list must have at least one element")
	}
	var items []expr
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
		if p.accept(")") {
			return items, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

func (p *parser) relExpr() (expr, error) {
	l, err := p.addExpr()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tkPunct && (t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">=") {
		p.take()
		r, err := p.addExpr()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: t.text, l: l, r: r, pos: t.pos}
		if n := p.peek(); n.kind == tkPunct && (n.text == "<" || n.text == "<=" || n.text == ">" || n.text == ">=") {
			return nil, p.fail("comparison operators cannot be chained; add parentheses")
		}
	}
	return l, nil
}

func (p *parser) addExpr() (expr, error) {
	l, err := p.mulExpr()
	for err == nil && (p.is("+") || p.is("-")) {
		t := p.take()
		var r expr
		if r, err = p.mulExpr(); err == nil {
			l = &binExpr{op: t.text, l: l, r: r, pos: t.pos}
		}
	}
	return l, err
}

func (p *parser) mulExpr() (expr, error) {
	l, err := p.strExpr()
	for err == nil && (p.is("*") || p.is("/") || p.is("%")) {
		t := p.take()
		var r expr
		if r, err = p.strExpr(); err == nil {
			l = &binExpr{op: t.text, l: l, r: r, pos: t.pos}
		}
	}
	return l, err
}

// strExpr parses unary [ str_op unary ], including "matches regex".
func (p *parser) strExpr() (expr, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	op := ""
	switch {
	case (t.kind == tkPunct || t.kind == tkIdent) && strOps[t.text]:
		op = t.text
		p.take()
	case t.kind == tkIdent && t.text == "matches":
		p.take()
		if err := p.expect("regex"); err != nil {
			return nil, err
		}
		op = "matches regex"
	case t.kind == tkIdent && unsupportedWordOps[t.text]:
		return nil, unsupportedErr(t.pos, "the '"+t.text+"' operator")
	default:
		return l, nil
	}
	r, err := p.unary()
	if err != nil {
		return nil, err
	}
	if n := p.peek(); (n.kind == tkPunct || n.kind == tkIdent) && (strOps[n.text] || n.text == "matches") {
		return nil, p.fail("string operators cannot be chained; add parentheses")
	}
	return &binExpr{op: op, l: l, r: r, pos: t.pos}, nil
}

// unary = [ "-" | "+" ] postfix
func (p *parser) unary() (expr, error) {
	if p.is("-") || p.is("+") {
		t := p.take()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: t.text, x: x, pos: t.pos}, nil
	}
	return p.postfix()
}

// postfix = primary { "." ident | "[" expr "]" }
func (p *parser) postfix() (expr, error) {
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.is("."):
			t := p.take()
			n := p.peek()
			if n.kind == tkIdent && isPlainIdent(n.text) {
				p.take()
				x = &memberExpr{x: x, key: n.text, pos: t.pos}
				continue
			}
			if n.kind == tkPunct && n.text == "[" {
				key, err := p.name()
				if err != nil {
					return nil, err
				}
				x = &memberExpr{x: x, key: key, pos: t.pos}
				continue
			}
			return nil, p.fail("expected a property name after '.'")
		case p.is("["):
			t := p.take()
			idx, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			x = &indexExpr{x: x, idx: idx, pos: t.pos}
		default:
			return x, nil
		}
	}
}

// primary = literal | name | call | "(" expr ")"
func (p *parser) primary() (expr, error) {
	t := p.peek()
	switch t.kind {
	case tkString:
		s := ""
		for p.peek().kind == tkString {
			s += p.take().text
		}
		return &litExpr{v: s, t: TString, pos: t.pos}, nil
	case tkLong:
		p.take()
		return &litExpr{v: t.i, t: TLong, pos: t.pos}, nil
	case tkReal:
		p.take()
		return &litExpr{v: t.f, t: TReal, pos: t.pos}, nil
	case tkTimespan:
		p.take()
		return &litExpr{v: t.d, t: TTimespan, pos: t.pos}, nil
	case tkGUID:
		p.take()
		return &litExpr{v: GUID(lowerASCII(t.text)), t: TGUID, pos: t.pos}, nil
	case tkTyped:
		p.take()
		v, typ, err := typedLiteral(t)
		if err != nil {
			return nil, err
		}
		return &litExpr{v: v, t: typ, pos: t.pos}, nil
	case tkPunct:
		switch t.text {
		case "(":
			p.take()
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			return e, p.expect(")")
		case "[":
			n, err := p.name()
			if err != nil {
				return nil, err
			}
			return &nameExpr{name: n, pos: t.pos}, nil
		}
	case tkIdent:
		switch t.text {
		case "true", "True", "TRUE":
			p.take()
			return &litExpr{v: true, t: TBool, pos: t.pos}, nil
		case "false", "False", "FALSE":
			p.take()
			return &litExpr{v: false, t: TBool, pos: t.pos}, nil
		case "dynamic":
			if p.peekN(1).text == "(" {
				return p.dynamicLit()
			}
		}
		if isPlainIdent(t.text) && p.peekN(1).kind == tkPunct && p.peekN(1).text == "(" {
			p.take()
			args, err := p.callArgs()
			if err != nil {
				return nil, err
			}
			return &callExpr{fn: t.text, args: args, pos: t.pos}, nil
		}
		n, err := p.name()
		if err != nil {
			return nil, err
		}
		return &nameExpr{name: n, pos: t.pos}, nil
	}
	return nil, p.fail("expected an expression")
}

// callArgs parses "(" [ arg { "," arg } ] ")", where arg is an expr or *.
func (p *parser) callArgs() ([]expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var args []expr
	if p.accept(")") {
		return args, nil
	}
	for {
		var e expr
		if t := p.peek(); t.kind == tkPunct && t.text == "*" {
			// arg_max(x, *); the compiler rejects it anywhere else.
			p.take()
			e = &starExpr{pos: t.pos}
		} else {
			var err error
			if e, err = p.expr(); err != nil {
				return nil, err
			}
		}
		args = append(args, e)
		if p.accept(")") {
			return args, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

// dynamicLit parses dynamic( json ) where strings may use any KQL form.
func (p *parser) dynamicLit() (expr, error) {
	t := p.take()
	p.take()
	if p.accept("null") {
		return &litExpr{t: TDynamic, pos: t.pos}, p.expect(")")
	}
	v, err := p.jsonValue()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return &litExpr{v: Dynamic{V: v}, t: TDynamic, pos: t.pos}, nil
}

// jsonValue parses one JSON value from tokens.
func (p *parser) jsonValue() (any, error) {
	t := p.peek()
	switch {
	case t.kind == tkString:
		p.take()
		return t.text, nil
	case t.kind == tkLong || t.kind == tkReal:
		p.take()
		return json.Number(t.text), nil
	case t.kind == tkPunct && (t.text == "-" || t.text == "+"):
		p.take()
		n := p.take()
		if n.kind == tkLong {
			if t.text == "-" {
				return json.Number(strconv.FormatInt(-n.i, 10)), nil
			}
			return json.Number(n.text), nil
		}
		if n.kind == tkReal {
			return json.Number(t.text + n.text), nil
		}
		return nil, syntaxErr(n.pos, n.text, "expected a number")
	case t.kind == tkIdent && (t.text == "true" || t.text == "false"):
		p.take()
		return t.text == "true", nil
	case t.kind == tkIdent && t.text == "null":
		p.take()
		return nil, nil
	case t.kind == tkPunct && t.text == "[":
		p.take()
		arr := []any{}
		if p.accept("]") {
			return arr, nil
		}
		for {
			v, err := p.jsonValue()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
			if p.accept("]") {
				return arr, nil
			}
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
	case t.kind == tkPunct && t.text == "{":
		p.take()
		obj := map[string]any{}
		if p.accept("}") {
			return obj, nil
		}
		for {
			k := p.peek()
			if k.kind != tkString {
				return nil, p.fail("expected a quoted property name")
			}
			p.take()
			if err := p.expect(":"); err != nil {
				return nil, err
			}
			v, err := p.jsonValue()
			if err != nil {
				return nil, err
			}
			obj[k.text] = v
			if p.accept("}") {
				return obj, nil
			}
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
	}
	return nil, p.fail("expected a JSON value in the dynamic literal")
}
