package policy

import (
	"slices"

	"github.com/lockstep-iac/lockstep/report"
)

// precedence is one "more specific rule wins" pair: a finding of winner
// supersedes a finding of loser on the same address. presence limits it to
// losers about the resource's presence (details.missing is set): that a
// resource exists only in production, or only production's plan creates
// it, is what a cross-env-reference explains, not a changed attribute.
type precedence struct {
	winner, loser string
	presence      bool
}

// precedences is the one table, most specific winner first, so a finding
// that is folded (promotion-order) is folded before it could take others
// in (Supersede relies on it): one root cause gives one finding. A
// resource production has because it points at staging
// (cross-env-reference) is also missing from staging (missing-resource),
// created by production's plan only (one-sided-change), or created ahead
// of staging (promotion-order); a change the target applies ahead of the
// previous environment (promotion-order) is also, seen from the plans, a
// one-sided-change. A waiver then names one rule, and the other findings
// stay in the winner's details.related.
var precedences = []precedence{
	{winner: "cross-env-reference", loser: "missing-resource"},
	{winner: "cross-env-reference", loser: "promotion-order", presence: true},
	{winner: "cross-env-reference", loser: "one-sided-change", presence: true},
	{winner: "promotion-order", loser: "one-sided-change"},
}

// Supersedes lists the rules whose findings a finding of rule supersedes
// on the same address, for the rules' documentation; presence tells, per
// rule, whether only its findings about presence are superseded.
func Supersedes(rule string) (losers []string, presence []bool) {
	for _, p := range precedences {
		if p.winner == rule {
			losers, presence = append(losers, p.loser), append(presence, p.presence)
		}
	}
	return losers, presence
}

// SupersededBy lists the rules whose findings supersede rule's on the same
// address, in the table's order; presence tells, per rule, whether only
// rule's findings about presence are superseded.
func SupersededBy(rule string) (winners []string, presence []bool) {
	for _, p := range precedences {
		if p.loser == rule {
			winners, presence = append(winners, p.winner), append(presence, p.presence)
		}
	}
	return winners, presence
}

// Supersede folds each finding that a more specific rule's finding on the
// same address supersedes into that finding's details.related, the table's
// most specific winners first. Findings without an address
// (environment-level ones) are never folded, and neither is an error under
// a warning (a severity override must not let a folded finding stop gating
// the run). Only built-in rules' ids are in the table; the findings are
// Evaluate's, before waivers, and keep their order.
func Supersede(findings []report.Finding) []report.Finding {
	byKey := map[[2]string][]int{} // rule and address: indexes
	for i, f := range findings {
		if f.Address != "" {
			k := [2]string{f.Rule, f.Address}
			byKey[k] = append(byKey[k], i)
		}
	}
	folded := make([]bool, len(findings))
	related := map[int][]report.Related{}
	for _, p := range precedences {
		for i, w := range findings {
			if w.Rule != p.winner || w.Address == "" || folded[i] {
				continue
			}
			for _, j := range byKey[[2]string{p.loser, w.Address}] {
				l := findings[j]
				if folded[j] || p.presence && len(l.Details.Missing) == 0 || outranks(l.Severity, w.Severity) {
					continue
				}
				folded[j] = true
				related[i] = append(related[i], report.Related{Rule: l.Rule, Severity: l.Severity,
					Environments: l.Environments, Message: l.Message, Details: l.Details})
			}
		}
	}
	out := make([]report.Finding, 0, len(findings))
	for i, f := range findings {
		if folded[i] {
			continue
		}
		if r := related[i]; len(r) > 0 {
			f.Details.Related = append(slices.Clone(f.Details.Related), r...)
		}
		out = append(out, f)
	}
	return out
}

// outranks reports whether severity a gates where b does not.
func outranks(a, b report.Severity) bool {
	return a == report.SeverityError && b != report.SeverityError
}
