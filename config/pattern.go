package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AddressPattern selects Terraform resource addresses. It works on parsed
// address steps rather than on raw text so that a dot or bracket inside an
// index key (aws_s3_bucket.logs["a.b"]) can never be mistaken for structure.
// The zero value matches nothing.
type AddressPattern struct {
	text  string
	steps []addrStep
}

// indexKind says what a step's index looks like; count indexes and for_each
// keys are kept apart because Terraform never treats [3] and ["3"] as equal.
type indexKind uint8

const (
	indexNone   indexKind = iota // no brackets at all
	indexAny                     // [*], only meaningful in patterns
	indexNumber                  // [3]
	indexString                  // ["eu"]
)

type addrStep struct {
	name string
	kind indexKind
	key  string // canonical digits for indexNumber, decoded text for indexString
}

// ParseAddressPattern compiles an address glob such as
// module.app.aws_instance.web[*]. It rejects anything it cannot read
// unambiguously, because a silently misread pattern would quietly waive or
// expect the wrong resources.
func ParseAddressPattern(s string) (AddressPattern, error) {
	steps, err := parseAddress(s)
	if err != nil {
		return AddressPattern{}, fmt.Errorf("invalid address pattern %q: %w", s, err)
	}
	return AddressPattern{text: s, steps: steps}, nil
}

// String returns the pattern as it was written, so messages quote the user's
// own text back to them.
func (p AddressPattern) String() string { return p.text }

// Match reports whether address is selected by the pattern. Addresses that
// cannot be parsed match nothing rather than erroring, since they come from
// plan or state files that lockstep does not control.
func (p AddressPattern) Match(address string) bool {
	if len(p.steps) == 0 {
		return false
	}
	steps, err := parseAddress(address)
	if err != nil || len(steps) != len(p.steps) {
		return false
	}
	for i, ps := range p.steps {
		if !ps.match(steps[i]) {
			return false
		}
	}
	return true
}

func (p addrStep) match(a addrStep) bool {
	if p.name == "*" && p.kind == indexNone {
		return true // bare "*" stands for any whole step, index included
	}
	if !globMatch(p.name, a.name) {
		return false
	}
	switch p.kind {
	case indexNone:
		return a.kind == indexNone
	case indexAny:
		return true
	default:
		return a.kind == p.kind && a.key == p.key
	}
}

// parseAddress splits s into steps on dots outside brackets. It is shared by
// patterns and concrete addresses so both sides are read identically.
func parseAddress(s string) ([]addrStep, error) {
	if s == "" {
		return nil, errors.New("the address is empty")
	}
	var steps []addrStep
	i := 0
	for {
		st, next, err := parseStep(s, i)
		if err != nil {
			return nil, err
		}
		steps = append(steps, st)
		if next >= len(s) {
			return steps, nil
		}
		// parseStep stops only at the end, at '.', or with an error.
		i = next + 1
		if i >= len(s) {
			return nil, errors.New("it ends with a dot")
		}
	}
}

// parseStep reads one step starting at s[i] and returns the index just past
// it, which is either len(s) or the position of the separating dot.
func parseStep(s string, i int) (addrStep, int, error) {
	var st addrStep
	j := i
	for j < len(s) && s[j] != '.' && s[j] != '[' {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == ']' || r == '"' || unicode.IsSpace(r) || (r == utf8.RuneError && size == 1) {
			return st, 0, fmt.Errorf("unexpected %q at offset %d", r, j)
		}
		j += size
	}
	st.name = s[i:j]
	if st.name == "" {
		if j < len(s) && s[j] == '[' {
			return st, 0, fmt.Errorf("index at offset %d has no name before it", j)
		}
		return st, 0, fmt.Errorf("empty step at offset %d", i)
	}
	if j == len(s) || s[j] == '.' {
		return st, j, nil
	}
	// s[j] == '['
	j++
	if j >= len(s) {
		return st, 0, errors.New("unterminated index")
	}
	switch c := s[j]; {
	case c == '*':
		st.kind = indexAny
		j++
	case c == '"':
		key, end, err := readQuoted(s, j)
		if err != nil {
			return st, 0, err
		}
		st.kind, st.key = indexString, key
		j = end
	case c >= '0' && c <= '9':
		start := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		digits := strings.TrimLeft(s[start:j], "0")
		if digits == "" {
			digits = "0"
		}
		st.kind, st.key = indexNumber, digits
	default:
		return st, 0, fmt.Errorf("index at offset %d must be a number, a quoted string or *", j)
	}
	if j >= len(s) || s[j] != ']' {
		return st, 0, fmt.Errorf("index at offset %d is not closed with ]", j)
	}
	j++
	if j < len(s) && s[j] != '.' {
		return st, 0, fmt.Errorf("unexpected %q after index at offset %d", s[j], j)
	}
	return st, j, nil
}

// readQuoted decodes the quoted key that starts at s[i] == '"' and returns
// the offset just past the closing quote. Escapes follow the HCL quoting
// Terraform uses when it prints instance keys, so a key copied from
// `terraform state list` means the same thing in a pattern.
func readQuoted(s string, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	for j < len(s) {
		c := s[j]
		switch {
		case c == '"':
			return b.String(), j + 1, nil
		case c == '\\':
			if j+1 >= len(s) {
				return "", 0, errors.New("unterminated string index")
			}
			e := s[j+1]
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\':
				b.WriteByte(e)
			case 'u', 'U':
				n := 4
				if e == 'U' {
					n = 8
				}
				if j+2+n > len(s) {
					return "", 0, fmt.Errorf("short \\%c escape at offset %d", e, j)
				}
				v, err := strconv.ParseUint(s[j+2:j+2+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(v)) {
					return "", 0, fmt.Errorf("invalid \\%c escape at offset %d", e, j)
				}
				b.WriteRune(rune(v))
				j += n
			default:
				return "", 0, fmt.Errorf("unknown escape \\%c at offset %d", e, j)
			}
			j += 2
		case (c == '$' || c == '%') && strings.HasPrefix(s[j+1:], string(c)+"{"):
			// Terraform doubles the sigil ("$${") to keep it from
			// reading as a template; undo that.
			b.WriteByte(c)
			b.WriteByte('{')
			j += 3
		default:
			b.WriteByte(c)
			j++
		}
	}
	return "", 0, errors.New("unterminated string index")
}

// PathPattern selects attribute paths such as tags.Size or ingress.*.port.
// Declaring a path also declares everything beneath it, because a difference
// inside a map or block is a difference in the attribute that holds it.
// The zero value matches nothing.
type PathPattern struct {
	text  string
	steps []string
}

// ParsePathPattern compiles a dot path in which a step may contain * to
// match any run of characters within that one step.
func ParsePathPattern(s string) (PathPattern, error) {
	if s == "" {
		return PathPattern{}, errors.New("invalid attribute path: the path is empty")
	}
	steps := strings.Split(s, ".")
	for i, st := range steps {
		if st == "" {
			return PathPattern{}, fmt.Errorf("invalid attribute path %q: step %d is empty", s, i+1)
		}
	}
	return PathPattern{text: s, steps: steps}, nil
}

// String returns the pattern as it was written.
func (p PathPattern) String() string { return p.text }

// Match reports whether path equals the pattern or lies beneath it.
func (p PathPattern) Match(path []string) bool {
	if len(p.steps) == 0 || len(path) < len(p.steps) {
		return false
	}
	for i, st := range p.steps {
		if !globMatch(st, path[i]) {
			return false
		}
	}
	return true
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
