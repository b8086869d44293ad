package report

import (
	"strconv"
	"unicode/utf8"
)

// MaxTextBytes is the most of one string a report carries: a value, a user
// rule's message, a text-format cell. A plan can hold a 100 MB string; a
// report that printed it whole would be as large, and the text format's
// word wrap is quadratic in a cell's length.
const MaxTextBytes = 4096

// Shorten cuts s to at most max bytes, on a character boundary, and says
// how long it was: "abc… (1048576 bytes)". One helper, so that every
// place a string is shortened says so in the same words.
func Shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
