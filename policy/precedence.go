package policy

import (
	"slices"

	"github.com/lockstep-iac/lockstep/report"
)

// supersedes maps a built-in rule to the rules it supersedes on the same
// address: one root cause gives one finding, judged by the more specific
// rule. A target that applies ahead of the previous environment
// (promotion-order) is also, seen from the plans, a one-sided-change; a
// resource that exists only in production because it points at staging
// (cross-env-reference) is also a missing-resource. A waiver then names
// one rule, and the other finding stays in the winner's details.related.
var supersedes = map[string][]string{
	"promotion-order":     {"one-sided-change"},
	"cross-env-reference": {"missing-resource"},
}

// Supersedes lists the built-in rules whose findings a finding of rule
// supersedes on the same address, for the rules' documentation.
func Supersedes(rule string) []string { return supersedes[rule] }

// SupersededBy lists the built-in rules whose findings supersede rule's on
// the same address.
func SupersededBy(rule string) []string {
	var out []string
	for winner, losers := range supersedes {
		if slices.Contains(losers, rule) {
			out = append(out, winner)
		}
	}
	slices.Sort(out)
	return out
}

// Supersede folds each finding that a more specific rule's finding on the
// same address supersedes into that finding's details.related, in the
// order given. Findings without an address (environment-level ones) are
// never folded, and neither is an error under a warning (a severity
// override must not let a folded finding stop gating the run). Only
// built-in rules' ids are in the table; the findings are Evaluate's,
// before waivers.
func Supersede(findings []report.Finding) []report.Finding {
	winner := map[[2]string]int{} // superseded rule and address: winner's index
	for i, f := range findings {
		if f.Address == "" {
			continue
		}
		for _, loser := range supersedes[f.Rule] {
			if _, ok := winner[[2]string{loser, f.Address}]; !ok {
				winner[[2]string{loser, f.Address}] = i
			}
		}
	}
	if len(winner) == 0 {
		return findings
	}
	related := map[int][]report.Related{}
	keep := make([]bool, len(findings))
	for i, f := range findings {
		w, ok := winner[[2]string{f.Rule, f.Address}]
		if !ok || f.Address == "" || outranks(f.Severity, findings[w].Severity) {
			keep[i] = true
			continue
		}
		related[w] = append(related[w], report.Related{Rule: f.Rule, Severity: f.Severity,
			Environments: f.Environments, Message: f.Message, Details: f.Details})
	}
	out := make([]report.Finding, 0, len(findings))
	for i, f := range findings {
		if !keep[i] {
			continue
		}
		if r := related[i]; len(r) > 0 {
			f.Details.Related = append(append([]report.Related(nil), f.Details.Related...), r...)
		}
		out = append(out, f)
	}
	return out
}

// outranks reports whether severity a gates where b does not.
func outranks(a, b report.Severity) bool {
	return a == report.SeverityError && b != report.SeverityError
}
