package output

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Values in a report come from plans, states and user rules, so they may
// hold anything, including characters that act on whoever displays them: a
// terminal runs ESC and CSI sequences (clear the screen, rewrite a line,
// set the window title), a carriage return overwrites the line before it,
// and a browser or an editor reorders text around Unicode bidi controls,
// so that a value reads as another ("Trojan Source"). Every format that a
// terminal or a browser renders (text, github, markdown, junit) shows such
// characters as escapes through Printable; json and sarif keep the exact
// value and write such characters as JSON \u escapes (jsonSafe).

// escaped reports whether a character is shown as an escape rather than as
// itself:
//   - control characters (Unicode Cc): C0 except the line feed, DEL, and
//     C1 (U+0080–U+009F: U+009B is CSI on terminals that honour 8-bit
//     controls);
//   - format characters (Unicode Cf), which are invisible: the bidi
//     embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
//     the marks U+200E, U+200F and U+061C, zero-width spaces and joiners
//     that make two different values look equal (U+200B, U+2060, U+FEFF),
//     the soft hyphen and the tag characters; except the zero-width joiner
//     and non-joiner (U+200D, U+200C), which emoji and several scripts need
//     to show correctly and which do not reorder or hide text;
//   - the line and paragraph separators U+2028 and U+2029, which break
//     lines in browsers and editors where a line feed is escaped.
//
// The line feed stays: a value's line breaks are its meaning, and every
// format already keeps them inside the value's cell, command or element
// (text wraps them in the table cell, github encodes them as %0A, markdown
// as <br>, XML as character data). A tab does not: terminals expand it to
// an unpredictable width, which breaks the text table.
func escaped(r rune) bool {
	switch {
	case r == '\n':
		return false
	case r == '\u200c' || r == '\u200d':
		return false
	case r == '\u2028' || r == '\u2029':
		return true
	}
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)
}

// Printable shows s with every character that escaped selects, and every
// byte that is not valid UTF-8, as a readable escape: \x1b for a byte or a
// character below U+0080 (C0, DEL) and for an invalid byte, \u009b or
// \u202e for a character of the Basic Multilingual Plane, \U000e0041
// beyond it. Text without such characters is returned unchanged.
//
// The escapes cannot be mistaken for a value's own text: a backslash that
// could start one (one followed by "\", "x", "u", "U" or an escaped
// character) is doubled, so "\x1b" in the output is always an escape and
// "\\x1b" the value's own backslash followed by "x1b". Other backslashes
// (a Windows path, a regular expression's \d) stay as they are, so the
// usual value reads as before.
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteByte('\\')
			if next := s[i+1:]; next != "" && startsEscape(next) {
				b.WriteByte('\\')
			}
		case !escaped(r):
			b.WriteString(s[i : i+size])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

// startsEscape reports whether what follows a backslash would read as an
// escape (or as a doubled backslash) once escaped.
func startsEscape(next string) bool {
	r, size := utf8.DecodeRuneInString(next)
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r == '\\' || r == 'x' || r == 'u' || r == 'U':
		return true
	}
	return escaped(r)
}

// needsEscape reports whether Printable changes s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == 0x7f || (c == '\\' && i+1 < len(s) && startsEscape(s[i+1:])) {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || escaped(r) {
			return true
		}
		i += size
	}
	return false
}

// jsonNeedsEscape reports whether b holds a character that escaped
// selects. A report is mostly ASCII, where only the C0 controls but the
// line feed and DEL are selected (unicode.Cf has none there): a byte's
// test, where looking each character up in unicode's tables was half of
// writing a report as JSON (BenchmarkFormats/json).
func jsonNeedsEscape(b []byte) bool {
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if escaped(r) {
			return true
		}
		i += size
	}
	return false
}

// jsonSafe rewrites, in JSON text from encoding/json, every character that
// escaped selects as a JSON \u escape (a surrogate pair beyond the Basic
// Multilingual Plane). encoding/json escapes C0 controls and U+2028/U+2029
// itself, but writes DEL, C1 controls and bidi overrides raw, which a
// terminal showing the file would act on. The decoded values are exactly
// the same; only their spelling changes, and only inside strings, as JSON
// outside strings is ASCII punctuation, digits and literals.
func jsonSafe(b []byte) []byte {
	if !jsonNeedsEscape(b) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 64)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case !escaped(r):
			out.Write(b[i : i+size])
		case r <= 0xffff:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
		}
		i += size
	}
	return out.Bytes()
}
