package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Error is a policy problem: a rule that does not parse, compile or
// evaluate, a finding of the wrong shape, or an evaluation that ran out of
// time. It is a tool error (exit 2), never a pass. Problems carry the
// file:line:column OPA reports, so the message points at the Rego to fix.
type Error struct {
	// Rule is the id of the rule being evaluated, or "" at load time.
	Rule     string
	Problems []Problem
	// Err is the underlying error when no location is known.
	Err error
}

// Problem is one located policy error.
type Problem struct {
	File    string
	Line    int
	Column  int
	Code    string
	Message string
}

func (p Problem) String() string {
	var sb strings.Builder
	if p.File != "" {
		fmt.Fprintf(&sb, "%s:%d:%d: ", p.File, p.Line, p.Column)
	}
	sb.WriteString(p.Message)
	if p.Code != "" {
		fmt.Fprintf(&sb, " (%s)", p.Code)
	}
	return sb.String()
}

func (e *Error) Error() string {
	var lines []string
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	if len(lines) == 0 && e.Err != nil {
		lines = append(lines, e.Err.Error())
	}
	for _, p := range e.Problems {
		if strings.Contains(p.Message, "keyword is required") {
			lines = append(lines, "hint: lockstep reads Rego v1 syntax (OPA 1.0): write `deny contains msg if { ... }`; `opa fmt --v0-v1` rewrites older policies")
			break
		}
	}
	head := "policy error"
	if e.Rule != "" {
		head = fmt.Sprintf("policy error in rule %s", e.Rule)
	}
	if len(lines) == 1 {
		return head + ": " + lines[0]
	}
	return head + ":\n" + strings.Join(lines, "\n")
}

func (e *Error) Unwrap() error { return e.Err }

// Located returns the problems, located where OPA says; an Error made from
// a bare error gets its locations pulled out of it.
func (e *Error) Located() []Problem {
	if len(e.Problems) > 0 {
		return e.Problems
	}
	return problems(e.Err)
}

// newError wraps an OPA error, pulling out every location it carries.
func newError(rule string, err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Rule: rule, Problems: problems(err), Err: err}
}

// errorAt is a problem lockstep itself finds at a place in a policy.
func errorAt(rule string, loc *ast.Location, format string, args ...any) *Error {
	p := Problem{Message: fmt.Sprintf(format, args...)}
	if loc != nil {
		p.File, p.Line, p.Column = loc.File, loc.Row, loc.Col
	}
	return &Error{Rule: rule, Problems: []Problem{p}}
}

func problems(err error) []Problem {
	var out []Problem
	var walk func(error)
	walk = func(err error) {
		switch t := err.(type) {
		case nil:
		case ast.Errors:
			for _, e := range t {
				walk(e)
			}
		case loader.Errors:
			for _, e := range t {
				walk(e)
			}
		case *ast.Error:
			out = append(out, located(t.Location, t.Code, t.Message))
		case *topdown.Error:
			out = append(out, located(t.Location, t.Code, t.Message))
		default:
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range u.Unwrap() {
					walk(e)
				}
				return
			}
			var ae *ast.Error
			var te *topdown.Error
			switch {
			case errors.As(err, &ae):
				out = append(out, located(ae.Location, ae.Code, ae.Message))
			case errors.As(err, &te):
				out = append(out, located(te.Location, te.Code, te.Message))
			default:
				out = append(out, Problem{Message: err.Error()})
			}
		}
	}
	walk(err)
	return out
}

func located(loc *ast.Location, code, msg string) Problem {
	p := Problem{Code: code, Message: deniedProblem(code, msg)}
	if loc != nil {
		p.File, p.Line, p.Column = loc.File, loc.Row, loc.Col
	}
	return p
}
