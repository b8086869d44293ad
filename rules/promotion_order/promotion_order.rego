# METADATA
# title: Change skips the promotion order
# description: |
#   With --target ENV: ENV's plan creates, updates or deletes something that the
#   environment before it in the promotion chain does not already have in its
#   current state. Production is about to receive a change that staging has
#   not proven.
# custom:
#   severity: error
#   remediation: |
#     Apply the change to the previous environment first and re-run the check,
#     or declare the difference in lockstep.hcl if the environments are meant
#     to differ here.
package lockstep.rules.promotion_order

import data.lockstep.lib

# The target creates or changes a resource the previous environment lacks.
findings contains f if {
	some r in input.resources
	p := r.promotion
	p.action in {"create", "update", "replace"}
	not p.previous_has
	not lib.absent_by_design(r, [input.target], p.previous)

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[p.previous, input.target],
		sprintf("%s's plan %s it, but %s does not have it yet", [input.target, lib.verbs[p.action], p.previous]),
		{"actions": {input.target: target_actions(r, input.target)}, "missing": [p.previous], "addresses": lib.addresses(r)},
	)
}

# The target sets attributes to values the previous environment does not have.
findings contains f if {
	some r in input.resources
	p := r.promotion
	p.action in {"create", "update", "replace"}
	p.previous_has
	count(p.paths) > 0
	first := p.paths[0]

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[p.previous, input.target],
		sprintf("%s's plan sets %s to %s, but %s has %s%s: apply it to %s first", [
			input.target, first.path, lib.fmt(first.target),
			p.previous, lib.fmt(first.previous), lib.and_more_of(p.paths, p, "paths_omitted"), p.previous,
		]),
		{
			"attributes": [{"path": x.path, "values": {input.target: x.target}, "before": {p.previous: x.previous}} | some x in p.paths],
			"actions": {input.target: target_actions(r, input.target)},
			"addresses": lib.addresses(r),
		},
	)
}

# The target deletes a resource the previous environment still has.
findings contains f if {
	some r in input.resources
	p := r.promotion
	p.action in {"delete", "forget"}
	p.previous_has
	not excludes_target(r, input.target)

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[p.previous, input.target],
		sprintf("%s's plan %s it, but %s still has it", [input.target, lib.verbs[p.action], p.previous]),
		{"actions": {input.target: target_actions(r, input.target)}, "present": [p.previous], "addresses": lib.addresses(r)},
	)
}

# excludes_target is true when lockstep.hcl declares r as belonging only to
# environments other than the target, so removing it there is intended.
excludes_target(r, target) if {
	count(r.only_in) > 0
	not target in r.only_in
}

target_actions(r, target) := [s.actions | some s in r.environments; s.env == target][0]
