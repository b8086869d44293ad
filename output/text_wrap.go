package output

import (
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// maxAddressWord is the longest word wrapWords keeps whole for looking
// like a Terraform address (a dot and no slash): longer, it is a value,
// broken like any word wider than its column.
const maxAddressWord = 256

// wrapWords wraps s to lines of at most width columns at its spaces; its
// own line breaks stay. Lines after the first are indented by indent. A
// word wider than the line is broken, unless it looks like an address
// (module.net.aws_subnet.a["x"]), which is never broken: it would not
// paste into `terraform state show`.
func wrapWords(s string, width int, indent string) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line, lineWidth := "", 0
		room := width
		flush := func() {
			out = append(out, line)
			line, lineWidth = indent, twwidth.Width(indent)
			room = width
		}
		started := false
		for _, word := range strings.Split(para, " ") {
			ww := twwidth.Width(word)
			if started && lineWidth+1+ww > room {
				flush()
				started = false
			}
			for ww > room-lineWidth && !addressLike(word) && room-lineWidth > 0 {
				// A value with no spaces, wider than the line.
				// started is false here: a started line that the word
				// does not fit was flushed above.
				cut := cutWidth(word, room-lineWidth)
				line += word[:cut]
				word = word[cut:]
				ww = twwidth.Width(word)
				flush()
				started = false
			}
			if started {
				line += " "
				lineWidth++
			}
			line += word
			lineWidth += ww
			started = true
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// addressLike reports whether a word is a Terraform address or attribute
// path, give or take the punctuation around it.
func addressLike(word string) bool {
	return len(word) <= maxAddressWord && strings.Contains(word, ".") && !strings.Contains(word, "/")
}

// cutWidth is the byte length of word's longest prefix at most width
// columns wide, and at least one character.
func cutWidth(word string, width int) int {
	n, w := 0, 0
	for i, r := range word {
		w += twwidth.Width(string(r))
		if i > 0 && w > width {
			break
		}
		n = i + len(string(r))
	}
	return n
}

// wrapAfter breaks s into lines of at most width bytes after sep (or
// anywhere, for a part longer than width).
func wrapAfter(s string, width int, sep string) string {
	if len(s) <= width {
		return s
	}
	var lines []string
	line := ""
	for _, part := range strings.SplitAfter(s, sep) {
		for len(part) > width {
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			lines = append(lines, part[:width])
			part = part[width:]
		}
		if len(line)+len(part) > width {
			lines = append(lines, line)
			line = ""
		}
		line += part
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
