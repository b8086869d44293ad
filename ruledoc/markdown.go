package ruledoc

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"

	"github.com/lockstep-iac/lockstep/policy"
)

// Markdown renders the reference page docs/rules.md: a summary table linking
// to one section per rule. It is written by hand rather than with
// tablewriter's Markdown renderer, which neither escapes "|" nor keeps a
// multi-line cell in one row. Descriptions and remediations are copied as
// they are: METADATA text is Markdown, as it is everywhere OPA shows it.
type Markdown struct {
	// SourceDir is the rules/ directory relative to where the page is
	// written; each section links to its rule's .rego file under it.
	SourceDir string
}

// Format writes the Markdown page.
func (m Markdown) Format(w io.Writer, rules []policy.Rule) error {
	rules = sorted(rules)
	b := bufio.NewWriter(w)
	fmt.Fprint(b, "# Built-in rules\n\n")
	fmt.Fprint(b, "This file is generated from the rules' `# METADATA` by `lockstep rules --format markdown`; do not edit it by hand.\n\n")
	fmt.Fprint(b, "| Rule | Severity | Title |\n| --- | --- | --- |\n")
	for _, r := range rules {
		fmt.Fprintf(b, "| [%s](#%s) | %s | %s |\n", cell(r.ID), anchor(r.ID), cell(string(r.Severity)), cell(r.Title))
	}
	for _, r := range rules {
		fmt.Fprintf(b, "\n## %s\n\n", r.ID)
		fmt.Fprintf(b, "**%s**\n\n", r.Title)
		fmt.Fprintf(b, "- Severity: %s\n", r.Severity)
		switch r.Stage {
		case "":
		case policy.StageWaivers:
			fmt.Fprintf(b, "- Stage: `%s` (judges the waivers in lockstep.hcl once the other rules' findings are waived, so its own findings cannot be waived)\n", r.Stage)
		default:
			fmt.Fprintf(b, "- Stage: `%s`\n", r.Stage)
		}
		fmt.Fprintf(b, "- Rego package: `%s`\n", r.Package)
		if r.Builtin {
			fmt.Fprintf(b, "- Source: [rules/%s](%s)\n", r.File, path.Join(m.SourceDir, r.File))
		} else {
			fmt.Fprintf(b, "- Source: `%s:%d` (rule `%s`)\n", r.File, r.Line, r.Name)
		}
		if r.Description != "" {
			fmt.Fprintf(b, "\n%s\n", r.Description)
		}
		if r.Remediation != "" {
			fmt.Fprintf(b, "\n### Remediation\n\n%s\n", r.Remediation)
		}
	}
	return b.Flush()
}

// cell makes text safe for one Markdown table cell: a "|" would end the
// cell and a newline the row.
func cell(s string) string {
	s = strings.ReplaceAll(s, `|`, `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// anchor is the fragment GitHub gives a heading: lower case, spaces turned
// into hyphens, punctuation other than hyphens and underscores dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
