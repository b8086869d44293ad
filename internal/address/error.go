package address

import "fmt"

// ErrorKind says what is wrong with an address.
type ErrorKind uint8

const (
	Empty              ErrorKind = iota // the whole address is empty
	TrailingDot                         // "a."
	EmptyStep                           // "a..b", ".a"
	UnexpectedChar                      // a character a name cannot hold
	IndexWithoutName                    // "[0].a"
	UnterminatedIndex                   // "a["
	BadIndex                            // "a[x]": not a number, a quoted string or *
	UnclosedIndex                       // "a[0"
	AfterIndex                          // "a[0]b", "a[0][1]"
	UnterminatedString                  // `a["x`
	ShortEscape                         // `\u12` at the end
	InvalidEscape                       // `\uZZZZ`, or a code point that is not a rune
	UnknownEscape                       // `\q`
	Wildcard                            // [*] in an address that is not a pattern
	NotAnAddress                        // the steps are not module calls and a resource
)

// SyntaxError reports malformed address text. Offset is the byte offset in
// the text where the problem was found.
type SyntaxError struct {
	Kind   ErrorKind
	Offset int
	// Char is the offending character for UnexpectedChar and AfterIndex,
	// or the escape letter for the escape kinds.
	Char rune
}

// Error keeps the wording the config patterns have always used, since it is
// quoted back to users in configuration diagnostics.
func (e *SyntaxError) Error() string {
	switch e.Kind {
	case Empty:
		return "the address is empty"
	case TrailingDot:
		return "it ends with a dot"
	case EmptyStep:
		return fmt.Sprintf("empty step at offset %d", e.Offset)
	case UnexpectedChar:
		return fmt.Sprintf("unexpected %q at offset %d", e.Char, e.Offset)
	case IndexWithoutName:
		return fmt.Sprintf("index at offset %d has no name before it", e.Offset)
	case UnterminatedIndex:
		return "unterminated index"
	case BadIndex:
		return fmt.Sprintf("index at offset %d must be a number, a quoted string or *", e.Offset)
	case UnclosedIndex:
		return fmt.Sprintf("index at offset %d is not closed with ]", e.Offset)
	case AfterIndex:
		return fmt.Sprintf("unexpected %q after index at offset %d", e.Char, e.Offset)
	case UnterminatedString:
		return "unterminated string index"
	case ShortEscape:
		return fmt.Sprintf("short \\%c escape at offset %d", e.Char, e.Offset)
	case InvalidEscape:
		return fmt.Sprintf("invalid \\%c escape at offset %d", e.Char, e.Offset)
	case UnknownEscape:
		return fmt.Sprintf("unknown escape \\%c at offset %d", e.Char, e.Offset)
	case Wildcard:
		return fmt.Sprintf("[*] at offset %d is only allowed in patterns", e.Offset)
	case NotAnAddress:
		return fmt.Sprintf("step at offset %d does not fit module.NAME, TYPE.NAME or data.TYPE.NAME", e.Offset)
	}
	return fmt.Sprintf("malformed address at offset %d", e.Offset)
}
