package engine

import "fmt"

// ErrorKind classifies a query error.
type ErrorKind int

// Error kinds. SyntaxError covers text the parser cannot read, malformed
// literals and operators outside the simulator's subset; SemanticError
// covers unknown tables and columns and type mismatches; LimitError covers
// documented size caps such as list lengths and regex groups.
const (
	SyntaxError ErrorKind = iota + 1
	SemanticError
	LimitError
)

// String names the kind.
func (k ErrorKind) String() string {
	switch k {
	case SyntaxError:
		return "SyntaxError"
	case SemanticError:
		return "SemanticError"
	case LimitError:
		return "LimitError"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Error is a query error whose message reads like the one Defender returns.
type Error struct {
	Kind    ErrorKind
	Message string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// syntaxErr reports text the parser cannot accept at pos.
func syntaxErr(pos position, near string, format string, args ...any) *Error {
	detail := fmt.Sprintf(format, args...)
	return &Error{Kind: SyntaxError, Message: fmt.Sprintf(
		"Syntax error: A recognition error occurred in the query at line %d, position %d, near '%s': %s",
		pos.line, pos.col, near, detail)}
}

// unsupportedErr reports valid KQL that the simulator does not implement.
func unsupportedErr(pos position, what string) *Error {
	return &Error{Kind: SyntaxError, Message: fmt.Sprintf(
		"Syntax error: %s is not supported by the simulator (line %d, position %d)", what, pos.line, pos.col)}
}

// semErr reports a semantic error raised while compiling operator op.
func semErr(op string, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if op != "" {
		msg = fmt.Sprintf("'%s' operator: %s", op, msg)
	}
	return &Error{Kind: SemanticError, Message: "Semantic error: " + msg}
}

// unresolvedColumn is Kusto's SEM0100 message for an unknown scalar name.
func unresolvedColumn(op, name string) *Error {
	e := semErr(op, "Failed to resolve scalar expression named '%s'", name)
	e.Message = "SEM0100: " + e.Message
	return e
}

// limitErr reports a documented cap being exceeded.
func limitErr(format string, args ...any) *Error {
	return &Error{Kind: LimitError, Message: "Limit exceeded: " + fmt.Sprintf(format, args...)}
}
