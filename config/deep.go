package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/address"
)

// deepStep is the step "**": any number of steps, none included. It is
// only ever a whole step, so "a**" or "**[*]" are errors rather than a
// second spelling of "*".
const deepStep = "**"

// pathStep is one step of an attribute path pattern. A quoted step
// ("app.kubernetes.io/name") is literal: its dots do not separate steps and
// its '*' matches only '*', so any map key can be named exactly.
type pathStep struct {
	text    string
	literal bool
	deep    bool
}

func (s pathStep) match(name string) bool {
	if s.literal {
		return s.text == name
	}
	return globMatch(s.text, name)
}

// parsePathSteps splits a path pattern on the dots outside quotes.
func parsePathSteps(s string) ([]pathStep, error) {
	if s == "" {
		return nil, errors.New("invalid attribute path: the path is empty")
	}
	var steps []pathStep
	for i := 0; ; {
		var st pathStep
		if i < len(s) && s[i] == '"' {
			key, end, err := address.Unquote(s, i)
			if err != nil {
				var se *address.SyntaxError
				if errors.As(err, &se) && se.Kind == address.UnterminatedString {
					return nil, fmt.Errorf("invalid attribute path %q: the quoted key at offset %d is not closed", s, i)
				}
				return nil, fmt.Errorf("invalid attribute path %q: %w", s, err)
			}
			if end < len(s) && s[end] != '.' {
				return nil, fmt.Errorf("invalid attribute path %q: unexpected %q after the quoted key at offset %d; a quoted key is a whole step", s, s[end], end)
			}
			st, i = pathStep{text: key, literal: true}, end
		} else {
			end := strings.IndexByte(s[i:], '.')
			if end < 0 {
				end = len(s)
			} else {
				end += i
			}
			text := s[i:end]
			if text == "" {
				return nil, fmt.Errorf("invalid attribute path %q: step %d is empty", s, len(steps)+1)
			}
			if q := strings.IndexByte(text, '"'); q >= 0 {
				return nil, fmt.Errorf("invalid attribute path %q: unexpected '\"' at offset %d; quote a whole step (tags.\"a.b\")", s, i+q)
			}
			if strings.Contains(text, deepStep) && text != deepStep {
				return nil, fmt.Errorf("invalid attribute path %q: %q mixes ** with other characters; ** stands alone for any number of steps, * matches within one", s, text)
			}
			st, i = pathStep{text: text, deep: text == deepStep}, end
		}
		steps = append(steps, st)
		if i == len(s) {
			return steps, nil
		}
		i++ // the dot
		if i == len(s) {
			return nil, fmt.Errorf("invalid attribute path %q: step %d is empty", s, len(steps)+1)
		}
	}
}

// checkDeepSteps rejects "**" glued to anything in an address pattern:
// inside a name ("web**") or with an index ("**[*]").
func checkDeepSteps(s string, steps []address.Step) error {
	for _, st := range steps {
		if !strings.Contains(st.Name, deepStep) {
			continue
		}
		if st.Name != deepStep || st.Key.Kind != address.NoKey {
			return fmt.Errorf("invalid address pattern %q: %q mixes ** with other characters; ** stands alone for any number of steps, * matches within one", s, st.String())
		}
	}
	return nil
}

// matchDeep matches n steps against the pattern steps 0..len-1, where
// deep(p) says that pattern step p is "**" and match(p, i) whether pattern
// step p matches step i. With prefix set, the pattern need only match the
// first steps (a declared path covers what lies beneath it).
//
// "**" first takes no step and takes one more each time the rest of the
// pattern fails, returning to the latest "**" only: the result is whether
// any assignment matches, found in O(len(pattern) * n) steps, so a hostile
// pattern such as **.a.**.a.**.b cannot make it exponential.
func matchDeep(patLen, n int, deep func(p int) bool, match func(p, i int) bool, prefix bool) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < n {
		switch {
		case p < patLen && deep(p):
			star, mark = p, i
			p++
		case p < patLen && match(p, i):
			p++
			i++
		case p == patLen && prefix:
			return true
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < patLen && deep(p) {
		p++
	}
	return p == patLen
}
