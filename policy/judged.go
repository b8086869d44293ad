package policy

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
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
// (promotion-order), or an environment where the resource is absent now
// or after the plan (missing-resource, one-sided-change). Changing
// actions and only_in are kept too, though no rule fires on them alone,
// so that a new rule about them is not starved unseen; check's
// TestBuiltinInputJudgesAlike evaluates every rule on both inputs.
func judged(r *parity.Resource) bool {
	if len(r.Attributes) > 0 || r.AttributesOmitted > 0 || len(r.References) > 0 ||
		len(r.SharedSecrets) > 0 || r.SharedSecretsOmitted > 0 || r.Promotion != nil || len(r.OnlyIn) > 0 {
		return true
	}
	for _, s := range r.Envs {
		if !s.Now || !s.After || snapshot.Changes(s.Actions) {
			return true
		}
	}
	return false
}
