package policy

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/parity"
)

// BuiltinValue is the input the built-in fact-stage rules are evaluated
// over: the facts of Value without `env`, which no built-in rule reads,
// and with only the resources a built-in rule can judge (judged). In a
// large plan almost every resource is present everywhere, unchanged and
// alike; converting those for OPA and letting nine rules walk past them
// was a fifth of a check's time. User rules still get Value, the whole
// document, as docs/input.md promises.
func (d *Document) BuiltinValue() (ast.Value, error) {
	facts := *d.Facts
	facts.Resources = make([]*parity.Resource, 0, len(d.Facts.Resources)/8)
	for _, r := range d.Facts.Resources {
		if judged(r) {
			facts.Resources = append(facts.Resources, r)
		}
	}
	return factsValue(d.Version, &facts, defaultWorkers())
}

// judged reports whether some built-in rule may find something about r.
// Every built-in rule that reads input.resources needs one of: a path that
// differs (attribute-divergence, one-sided-change), a reference
// (cross-env-reference), a shared secret (shared-secret), a promotion
// (promotion-order), or environments that disagree on whether the
// resource exists now or after the plan (missing-resource,
// one-sided-change); only_in is kept too, though no rule fires on it
// alone. A resource every environment creates, changes, deletes or keeps
// alike, most of a real plan (a pull request changes every environment the
// same way), can give no finding: judging a real plan's 3,000 creates took
// the rules most of the check. Check's TestBuiltinInputJudgesAlike
// evaluates every rule on both inputs.
func judged(r *parity.Resource) bool {
	if len(r.Attributes) > 0 || r.AttributesOmitted > 0 || len(r.References) > 0 ||
		len(r.SharedSecrets) > 0 || r.SharedSecretsOmitted > 0 || r.Promotion != nil || len(r.OnlyIn) > 0 {
		return true
	}
	for _, s := range r.Envs[min(1, len(r.Envs)):] {
		if s.Now != r.Envs[0].Now || s.After != r.Envs[0].After {
			return true
		}
	}
	return false
}
