# METADATA
# title: Plan changes one environment only
# description: |
#   A plan creates, deletes or changes a resource in one environment and the
#   other environment's plan does not make the same change, so applying both
#   plans leaves the environments different.
# custom:
#   severity: error
#   remediation: |
#     Make the same change in every environment's configuration (for example
#     the same variable value in each tfvars file), or declare the difference
#     in lockstep.hcl if it is intended.
package lockstep.rules.one_sided_change

import data.lockstep.lib

# The plans create or delete the resource in some environments only.
findings contains f if {
	some r in input.resources
	changers := [s | some s in r.environments; s.now != s.after]
	count(changers) > 0
	after := lib.envs_where(r, "after")
	count(after) > 0
	without := [e | some e in lib.envs_without(r, "after"); not lib.absent_by_design(r, after, e)]
	count(without) > 0
	by_action := {v: envs |
		some c in changers
		v := lib.verbs[c.action]
		envs := [e.env | some e in changers; lib.verbs[e.action] == v]
	}
	verb := sort(object.keys(by_action))[0]
	others := [s.env | some s in r.environments; not s in changers]

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[s.env | some s in r.environments],
		sprintf("%s plan %s it; %s", [lib.possessive(by_action[verb]), verb, not_others(others, input.kinds)]),
		{
			"present": after,
			"missing": without,
			"actions": {s.env: s.actions | some s in r.environments},
			"addresses": lib.addresses(r),
		},
	)
}

# Every environment has the resource after apply, but the plans leave some of
# its attributes different.
findings contains f if {
	some r in input.resources
	count(lib.envs_without(r, "after")) == 0
	attrs := [a |
		some a in r.attributes
		a.differs_after
		count(a.changed) > 0
	]
	count(attrs) > 0
	first := attrs[0]
	envs := lib.envs_where(r, "after")
	others := [e | some e in envs; not e in first.changed]

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		envs,
		sprintf("%s plan changes %s (%s)%s; %s", [
			lib.possessive(first.changed), first.path,
			lib.env_values(envs, first.after), lib.and_more_of(attrs, r, "attributes_omitted"), not_others_same(others, input.kinds),
		]),
		{
			"attributes": [{"path": a.path, "values": a.after, "before": a.now} | some a in attrs],
			"actions": {s.env: s.actions | some s in r.environments},
			"addresses": lib.addresses(r),
		},
	)
}

not_others(others, kinds) := nobody(others, kinds) if count(others) > 0

not_others(others, _) := "the other plans do the opposite" if count(others) == 0

not_others_same(others, kinds) := nobody(others, kinds) if count(others) > 0

not_others_same(others, _) := "the plans set different values" if count(others) == 0

# nobody renders "production's plan does not" or "dev's plan and
# production (state, no plan) do not".
nobody(others, kinds) := sprintf("%s does not", [subject(others[0], kinds)]) if count(others) == 1

nobody(others, kinds) := sprintf("%s do not", [concat(" and ", [subject(e, kinds) | some e in others])]) if count(others) > 1

# subject names who is not making the change: an environment's plan, or the
# environment itself when its input is a state (there is no plan to blame).
# kinds is input.kinds, which names every environment's input kind.
subject(e, kinds) := sprintf("%s's plan", [e]) if kinds[e] == "plan"

subject(e, kinds) := sprintf("%s (state, no plan)", [e]) if kinds[e] != "plan"
