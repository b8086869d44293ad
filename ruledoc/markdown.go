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
		if r.Scope == policy.ScopeEnvironment {
			fmt.Fprint(b, "- Scope: per environment (`--env-policy`): judges each environment's plan or state as Terraform wrote it, alone\n")
		}
		fmt.Fprintf(b, "- Rego package: `%s`\n", r.Package)
		if r.Builtin {
			fmt.Fprintf(b, "- Source: [rules/%s](%s)\n", r.File, path.Join(m.SourceDir, r.File))
		} else {
			fmt.Fprintf(b, "- Source: `%s:%d` (rule `%s`)\n", r.File, r.Line, r.Name)
		}
		if r.Builtin {
			precedence(b, r.ID)
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

// precedence lists the rules a built-in rule supersedes, or is superseded
// by, on the same address (policy.Supersede): one root cause, one finding.
func precedence(b *bufio.Writer, id string) {
	links := func(ids []string, presence []bool, when string) string {
		parts := make([]string, len(ids))
		for i, x := range ids {
			parts[i] = "[" + x + "](#" + anchor(x) + ")"
			if presence[i] {
				parts[i] += " (" + when + ")"
			}
		}
		return strings.Join(parts, ", ")
	}
	if losers, presence := policy.Supersedes(id); len(losers) > 0 {
		fmt.Fprintf(b, "- Supersedes: %s on the same address; such a finding is not reported on its own but kept in this one's `details.related`, and a waiver of this finding covers it\n",
			links(losers, presence, "when it is about the resource's presence"))
	}
	if winners, presence := policy.SupersededBy(id); len(winners) > 0 {
		fmt.Fprintf(b, "- Superseded by: %s on the same address (one root cause, one finding: the more specific rule reports it, with this finding in `details.related`), unless this finding's severity is the higher\n",
			links(winners, presence, "when this finding is about the resource's presence"))
	}
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
