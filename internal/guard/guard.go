// Package guard checks untrusted bytes before a third-party parser sees
// them. encoding/json and HCL's parser recurse once per level of nesting, and
// HCL's has no limit at all: 50,000 nested brackets in a .tf file that
// Terraform accepts overflow the Go stack, and JSON nested 10,000 levels deep
// turns a small file into hundreds of megabytes once indented. encoding/json
// also keeps the last of two equal object keys, which can hide a value
// inside sensitive_values. So every JSON and HCL input passes through here
// first: its nesting is bounded by MaxDepth and, for JSON, its syntax, its
// UTF-8 and the uniqueness of its object keys are checked, and a problem is
// reported with a line and column, never with a value from the file.
package guard

import (
	"fmt"
)

// MaxDepth bounds the nesting of every JSON and HCL input: brackets, braces,
// parentheses, string templates and their interpolations, and chains of
// operators. The deepest real inputs known are around 50 levels (a
// Kubernetes CRD schema inside a kubernetes_manifest, in plan JSON), so the
// limit is an order of magnitude above anything real, and low enough that
// no parser recursion comes near the stack limit and that an indented
// --dump-input stays within a few hundred times the input's size.
const MaxDepth = 512

// Error is a problem found in the bytes: where and what. Path, when set, is
// the JSON location of the problem with every object name below a value
// (before, after, values, attributes, value, ...) replaced by "*", since
// such names can be secrets.
type Error struct {
	Line, Column int
	// Offset is the byte offset of the problem, from 0.
	Offset  int64
	Problem string
	Path    string
	// Kind tells the problems apart for callers that want to word them
	// differently.
	Kind Kind
}

// Kind is the class of an Error.
type Kind int

// The classes of problems.
const (
	// TooDeep is nesting beyond MaxDepth.
	TooDeep Kind = iota + 1
	// DuplicateKey is an object with two members of the same name.
	DuplicateKey
	// InvalidUTF8 is a byte sequence that is not UTF-8.
	InvalidUTF8
	// Syntax is any other malformed JSON.
	Syntax
)

func (e *Error) Error() string {
	s := fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Problem)
	if e.Path != "" {
		s += " (at " + e.Path + ")"
	}
	return s
}

func tooDeep(src []byte, offset int64) *Error {
	line, col := LineColumn(src, offset)
	return &Error{Line: line, Column: col, Offset: offset, Kind: TooDeep,
		Problem: fmt.Sprintf("nested more than %d levels deep, deeper than any real input", MaxDepth)}
}

// LineColumn converts a byte offset into a 1-based line and column; the
// column counts bytes.
func LineColumn(src []byte, offset int64) (int, int) {
	if offset > int64(len(src)) {
		offset = int64(len(src))
	}
	if offset < 0 {
		offset = 0
	}
	line, col := 1, 1
	for _, c := range src[:offset] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
