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
// word wider than the line is broken, after a slash where it has one (a
// path or a URL stays readable), unless it looks like an address
// (module.net.aws_subnet.a["x"]), which is never broken: it would not
// paste into `terraform state show`. A word that fits no line at all
// starts where it is, so "at" stays beside the path it introduces.
func wrapWords(s string, width int, indent string) string {
	var out []string
	indentWidth := twwidth.Width(indent)
	for _, para := range strings.Split(s, "\n") {
		line, lineWidth := "", 0
		flush := func() {
			out = append(out, line)
			line, lineWidth = indent, indentWidth
		}
		started := false
		for _, word := range strings.Split(para, " ") {
			ww := twwidth.Width(word)
			if started && lineWidth+1+ww > width {
				if ww <= width-indentWidth || addressLike(word) || lineWidth+2 >= width {
					flush()
				} else {
					line += " "
					lineWidth++
				}
				started = false
			}
			for ww > width-lineWidth && !addressLike(word) && width-lineWidth > 0 {
				// A value with no spaces, wider than the line.
				cut := cutWidth(word, width-lineWidth)
				line += word[:cut]
				word = word[cut:]
				ww = twwidth.Width(word)
				flush()
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
// columns wide, and at least one character; the prefix ends after its last
// slash when it has one past its first character.
func cutWidth(word string, width int) int {
	n, w := 0, 0
	for i, r := range word {
		w += twwidth.Width(string(r))
		if i > 0 && w > width {
			break
		}
		n = i + len(string(r))
	}
	if n < len(word) {
		if slash := strings.LastIndexByte(word[:n], '/'); slash > 0 {
			return slash + 1
		}
	}
	return n
}
