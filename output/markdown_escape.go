package output

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// The Markdown format's escaping: everything taken from a report goes
// through mdText, mdCode, mdHTML or mdLink, so a value cannot add table
// cells or rows, open a link or a block, or carry HTML (markdown.go lays
// out the document and owns no escaping of its own).

// mdTextReplacer escapes prose for a table cell or a list item: HTML
// characters as entities, so no markup from finding data survives; the
// Markdown punctuation that could open a link, image, code span, emphasis
// or math, or end a table cell, with a backslash; line breaks as <br>, so a
// value cannot add a table row or start a block.
var mdTextReplacer = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "|", `\|`, "[", `\[`, "]", `\]`,
	"*", `\*`, "_", `\_`, "~", `\~`, "$", `\$`, "#", `\#`,
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)

// mdText escapes control characters (Printable), then Markdown and HTML.
func mdText(s string) string { return mdTextReplacer.Replace(Printable(s)) }

// mdCode renders s as inline code. A backtick code span shows its content
// literally, which is what a value needs, but cannot hold a line break or
// (in a table) a "|", and would carry "<", ">" and "&" into the Markdown
// unescaped; such values use an HTML <code> element with escaped content.
// Backticks inside a span get a longer fence.
func mdCode(s string) string {
	if s == "" {
		return "`\"\"`"
	}
	s = Printable(s)
	if strings.ContainsAny(s, "<>&|\r\n") {
		return "<code>" + mdTextReplacer.Replace(s) + "</code>"
	}
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	// A span strips one space from each end when both are spaces, and a
	// backtick next to the fence would lengthen it: pad with a space.
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		(len(s) > 1 && s[0] == ' ' && s[len(s)-1] == ' ' && strings.Trim(s, " ") != "") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdHTML escapes text placed inside an HTML block (a <summary>), where
// Markdown is not parsed and a blank line would end the block. Element
// content needs only "&", "<" and ">" escaped; quotes stay readable.
func mdHTML(s string) string {
	return mdHTMLReplacer.Replace(Printable(strings.Join(strings.Fields(s), " ")))
}

var mdHTMLReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// clipRunes cuts s to n runes, ending in "…" when cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// mdProse is rule documentation: hard-wrapped paragraphs, joined into one
// so it stays inside its list item or block.
func mdProse(s string) string {
	return mdText(clipRunes(strings.Join(strings.Fields(s), " "), mdDetailCap))
}

// mdLink returns an http(s) URL fit for a link destination, or "" for
// anything else: a rule's help URI comes from user METADATA.
func mdLink(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	// url.URL.String percent-encodes control characters and bidi
	// overrides, in the host too.
	return strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20").Replace(u.String())
}
