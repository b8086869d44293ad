package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// KeyKind says what a step's instance key looks like. Count indexes and
// for_each keys are kept apart because Terraform never treats [3] and ["3"]
// as equal.
type KeyKind uint8

const (
	NoKey     KeyKind = iota // no brackets at all
	IntKey                   // [3]
	StringKey                // ["eu"]
	AnyKey                   // [*], read only by PatternSteps
)

// Key is a step's instance key. Value holds the canonical digits of an
// IntKey ([007] is "7", with no bound on size) and the decoded text of a
// StringKey.
type Key struct {
	Kind  KeyKind
	Value string
}

// Step is one dot-separated step of an address: a name and its key
// (module.net["eu"] is the steps "module" and net["eu"]).
type Step struct {
	Name string
	Key  Key
}

// String renders the key in brackets as Terraform prints it; "" for NoKey.
func (k Key) String() string {
	var b strings.Builder
	k.write(&b)
	return b.String()
}

func (k Key) write(b *strings.Builder) {
	switch k.Kind {
	case IntKey:
		b.WriteByte('[')
		b.WriteString(k.Value)
		b.WriteByte(']')
	case StringKey:
		b.WriteByte('[')
		quote(b, k.Value)
		b.WriteByte(']')
	case AnyKey:
		b.WriteString("[*]")
	}
}

// String renders the step as Terraform prints it.
func (s Step) String() string { return s.Name + s.Key.String() }

// Steps splits a concrete address into its steps on the dots outside
// brackets and quotes.
func Steps(s string) ([]Step, error) {
	steps, _, err := split(s, false)
	return steps, err
}

// PatternSteps is Steps that also reads the [*] key of address patterns.
func PatternSteps(s string) ([]Step, error) {
	steps, _, err := split(s, true)
	return steps, err
}

// Render joins steps back into address text, the inverse of Steps and
// PatternSteps up to spelling: keys come out in Terraform's canonical form.
func Render(steps []Step) string {
	var b strings.Builder
	for i, st := range steps {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(st.Name)
		st.Key.write(&b)
	}
	return b.String()
}

// split returns the steps of s and the offset at which each starts.
func split(s string, wildcard bool) ([]Step, []int, error) {
	if s == "" {
		return nil, nil, &SyntaxError{Kind: Empty}
	}
	var steps []Step
	var starts []int
	i := 0
	for {
		st, next, err := lexStep(s, i, wildcard)
		if err != nil {
			return nil, nil, err
		}
		steps = append(steps, st)
		starts = append(starts, i)
		if next >= len(s) {
			return steps, starts, nil
		}
		// lexStep stops only at the end, at '.', or with an error.
		i = next + 1
		if i >= len(s) {
			return nil, nil, &SyntaxError{Kind: TrailingDot, Offset: next}
		}
	}
}

// lexStep reads one step starting at s[i] and returns the offset just past
// it, which is either len(s) or the offset of the separating dot.
func lexStep(s string, i int, wildcard bool) (Step, int, error) {
	var st Step
	j := i
	for j < len(s) && s[j] != '.' && s[j] != '[' {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == ']' || r == '"' || unicode.IsSpace(r) || (r == utf8.RuneError && size == 1) {
			return st, 0, &SyntaxError{Kind: UnexpectedChar, Offset: j, Char: r}
		}
		j += size
	}
	st.Name = s[i:j]
	if st.Name == "" {
		if j < len(s) && s[j] == '[' {
			return st, 0, &SyntaxError{Kind: IndexWithoutName, Offset: j}
		}
		return st, 0, &SyntaxError{Kind: EmptyStep, Offset: i}
	}
	if j == len(s) || s[j] == '.' {
		return st, j, nil
	}
	// s[j] == '['
	j++
	if j >= len(s) {
		return st, 0, &SyntaxError{Kind: UnterminatedIndex, Offset: j - 1}
	}
	switch c := s[j]; {
	case c == '*' && wildcard:
		st.Key.Kind = AnyKey
		j++
	case c == '*':
		return st, 0, &SyntaxError{Kind: Wildcard, Offset: j - 1}
	case c == '"':
		key, end, err := readQuoted(s, j)
		if err != nil {
			return st, 0, err
		}
		st.Key = Key{Kind: StringKey, Value: key}
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
		st.Key = Key{Kind: IntKey, Value: digits}
	default:
		return st, 0, &SyntaxError{Kind: BadIndex, Offset: j}
	}
	if j >= len(s) || s[j] != ']' {
		return st, 0, &SyntaxError{Kind: UnclosedIndex, Offset: j}
	}
	j++
	if j < len(s) && s[j] != '.' {
		// A byte, as before: the message shows it as the rune of that value.
		return st, 0, &SyntaxError{Kind: AfterIndex, Offset: j, Char: rune(s[j])}
	}
	return st, j, nil
}
