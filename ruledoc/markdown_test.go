package ruledoc

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/policy"
)

// TestMarkdownCells checks that METADATA text cannot break the summary
// table: a "|" must not end a cell nor a newline a row.
func TestMarkdownCells(t *testing.T) {
	rules := []policy.Rule{
		{Builtin: true, ID: "z-rule", Title: "Second", Severity: "warning", Description: "d", Remediation: "r", Package: "data.lockstep.rules.z", File: "z/z.rego"},
		{Builtin: true, ID: "a-rule", Title: "Either a | b\nor c", Severity: "error", Description: "Line one\nline two.", Remediation: "Fix | it.", Package: "data.lockstep.rules.a", File: "a/a.rego"},
	}
	var b strings.Builder
	if err := (Markdown{SourceDir: "../rules"}).Format(&b, rules); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| [a-rule](#a-rule) | error | Either a \\| b or c |\n| [z-rule](#z-rule) | warning | Second |\n",
		"## a-rule\n",
		"- Source: [rules/a/a.rego](../rules/a/a.rego)\n",
		"\nLine one\nline two.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if rules[0].ID != "z-rule" {
		t.Errorf("Format reordered the caller's slice")
	}
}

func TestAnchor(t *testing.T) {
	for in, want := range map[string]string{
		"out-of-band-drift": "out-of-band-drift",
		"My Rule_2 (beta)":  "my-rule_2-beta",
	} {
		if got := anchor(in); got != want {
			t.Errorf("anchor(%q) = %q, want %q", in, got, want)
		}
	}
}
