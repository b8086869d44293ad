package config

import (
	"fmt"

	"github.com/lockstep-iac/lockstep/internal/address"
)

// AddressPattern selects Terraform resource addresses. It works on parsed
// address steps rather than on raw text so that a dot or bracket inside an
// index key (aws_s3_bucket.logs["a.b"]) can never be mistaken for structure.
// The zero value matches nothing.
type AddressPattern struct {
	text  string
	steps []address.Step
}

// ParseAddressPattern compiles an address glob such as
// module.app.aws_instance.web[*]. It rejects anything it cannot read
// unambiguously, because a silently misread pattern would quietly waive or
// expect the wrong resources.
func ParseAddressPattern(s string) (AddressPattern, error) {
	steps, err := address.PatternSteps(s)
	if err != nil {
		return AddressPattern{}, fmt.Errorf("invalid address pattern %q: %w", s, err)
	}
	if err := checkDeepSteps(s, steps); err != nil {
		return AddressPattern{}, err
	}
	return AddressPattern{text: s, steps: steps}, nil
}

// String returns the pattern as it was written, so messages quote the user's
// own text back to them.
func (p AddressPattern) String() string { return p.text }

// Match reports whether address is selected by the pattern. Addresses that
// cannot be parsed match nothing rather than erroring, since they come from
// plan or state files that lockstep does not control. Both sides are read
// with the pattern grammar so that they are read identically.
func (p AddressPattern) Match(addr string) bool {
	if len(p.steps) == 0 {
		return false
	}
	steps, err := address.PatternSteps(addr)
	if err != nil {
		return false
	}
	return matchDeep(len(p.steps), len(steps),
		func(i int) bool { return p.steps[i].Name == deepStep },
		func(i, j int) bool { return matchStep(p.steps[i], steps[j]) }, false)
}

func matchStep(p, a address.Step) bool {
	if p.Name == "*" && p.Key.Kind == address.NoKey {
		return true // bare "*" stands for any whole step, index included
	}
	if !globMatch(p.Name, a.Name) {
		return false
	}
	switch p.Key.Kind {
	case address.NoKey:
		return a.Key.Kind == address.NoKey
	case address.AnyKey:
		return true
	default:
		return a.Key == p.Key
	}
}

// PathPattern selects attribute paths such as tags.Size or ingress.*.port.
// Declaring a path also declares everything beneath it, because a difference
// inside a map or block is a difference in the attribute that holds it.
// The zero value matches nothing.
type PathPattern struct {
	text  string
	steps []pathStep
}

// ParsePathPattern compiles a dot path in which a step may contain * to
// match any run of characters within that one step, a step ** matches any
// number of steps, and a quoted step ("app.kubernetes.io/name") is one
// literal key.
func ParsePathPattern(s string) (PathPattern, error) {
	steps, err := parsePathSteps(s)
	if err != nil {
		return PathPattern{}, err
	}
	return PathPattern{text: s, steps: steps}, nil
}

// String returns the pattern as it was written.
func (p PathPattern) String() string { return p.text }

// Match reports whether path equals the pattern or lies beneath it.
func (p PathPattern) Match(path []string) bool {
	if len(p.steps) == 0 {
		return false
	}
	return matchDeep(len(p.steps), len(path),
		func(i int) bool { return p.steps[i].deep },
		func(i, j int) bool { return p.steps[i].match(path[j]) }, true)
}

// globMatch matches name against pattern where only '*' is special. It is
// hand-rolled rather than path.Match because names may legitimately contain
// '?', '[' or '\' and those must stay literal. The greedy backtracking here
// is O(len(pattern)*len(name)) at worst, so hostile input cannot blow it up.
func globMatch(pattern, name string) bool {
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
