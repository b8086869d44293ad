package address

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// readQuoted decodes the quoted key that starts at s[i] == '"' and returns
// the offset just past the closing quote. Escapes are those of the HCL
// quoting Terraform uses when it prints instance keys (see quote), so a key
// copied from `terraform state list` means the same thing here.
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
				return "", 0, &SyntaxError{Kind: UnterminatedString, Offset: j}
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
					return "", 0, &SyntaxError{Kind: ShortEscape, Offset: j, Char: rune(e)}
				}
				v, err := strconv.ParseUint(s[j+2:j+2+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(v)) {
					return "", 0, &SyntaxError{Kind: InvalidEscape, Offset: j, Char: rune(e)}
				}
				b.WriteRune(rune(v))
				j += n
			default:
				return "", 0, &SyntaxError{Kind: UnknownEscape, Offset: j, Char: rune(e)}
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
	return "", 0, &SyntaxError{Kind: UnterminatedString, Offset: len(s)}
}

// quote writes key as Terraform's addrs.StringKey does (HCL quoting: \n,
// \r, \t, \", \\, a doubled sigil before "{", \u or \U for what is not
// printable), so a rendered address is one Terraform would print. Bytes
// that are not UTF-8 are written as they are: HCL has no escape for them,
// and readQuoted reads them back unchanged.
func quote(b *strings.Builder, key string) {
	b.WriteByte('"')
	for i := 0; i < len(key); {
		r, size := utf8.DecodeRuneInString(key[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(key[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '$' || r == '%':
			b.WriteRune(r)
			if strings.HasPrefix(key[i+1:], "{") {
				b.WriteRune(r)
			}
		case !unicode.IsPrint(r) && r < 0x10000:
			fmt.Fprintf(b, `\u%04x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(b, `\U%08x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
}

// Unquote decodes the quoted string that starts at s[i] == '"', with the
// escapes of instance keys, and returns the offset just past the closing
// quote. Attribute path patterns quote their keys this way, so a key is
// written the same in both kinds of pattern.
func Unquote(s string, i int) (string, int, error) {
	return readQuoted(s, i)
}
