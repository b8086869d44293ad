# METADATA
# title: Plan changes one environment only
# description: |
#   A plan creates, deletes or changes a resource in one environment and the
#   other environment's plan does not make the same change, so applying both
#   plans leaves the environments different. For a changed attribute the
#   message says who diverges: the environment whose plan sets a value that
#   differs from the environment before it in promotion order (from the one
#   after it when every change agrees with the one before), what that
#   environment does, and every environment's value, before → after where
#   its plan changes it. A value known only after apply diverges from
#   nothing, so an attribute that is unknown only because another attribute
#   changed is not reported, and differences among the environments whose
#   plans leave an attribute alone are not blamed on the one that changes.
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

# Every environment has the resource after apply, but a plan takes some of
# its attributes away from the environment before it in promotion order
# (parity's diverges: only a known planned value diverges, and differences
# among the unchanged environments are not the changing one's doing).
findings contains f if {
	some r in input.resources
	count(lib.envs_without(r, "after")) == 0
	attrs := [a |
		some a in r.attributes
		a.differs_after
		a.diverges
	]
	count(attrs) > 0
	first := attrs[0]
	d := first.diverges
	envs := lib.envs_where(r, "after")

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		envs,
		sprintf("%s's plan sets %s to %s; %s (%s)%s", [
			d.env, first.path, lib.fmt(first.after[d.env]),
			versus(d.versus, first, input.kinds), moves(envs, first),
			lib.and_more_of(attrs, r, "attributes_omitted"),
		]),
		{
			"attributes": [{"path": a.path, "values": a.after, "before": a.now} | some a in attrs],
			"actions": {s.env: s.actions | some s in r.environments},
			"addresses": lib.addresses(r),
		},
	)
}

# versus says what the environment the change diverges from does with the
# path: "staging's plan sets info", "staging has info and its plan keeps
# it", or "staging (state, no plan) has info".
versus(v, a, _) := sprintf("%s's plan sets %s", [v, lib.fmt(a.after[v])]) if v in a.changed

versus(v, a, kinds) := sprintf("%s has %s and its plan keeps it", [v, lib.fmt(a.after[v])]) if {
	not v in a.changed
	kinds[v] == "plan"
}

versus(v, a, kinds) := sprintf("%s (state, no plan) has %s", [v, lib.fmt(a.after[v])]) if {
	not v in a.changed
	kinds[v] != "plan"
}

# moves renders every environment's value, "before → after" where its plan
# changes it: "dev info, staging warn → info, production info → warn".
moves(envs, a) := concat(", ", [move(e, a) | some e in envs; e in object.keys(a.after)])

move(e, a) := sprintf("%s %s → %s", [e, lib.fmt(a.now[e]), lib.fmt(a.after[e])]) if {
	e in a.changed
	e in object.keys(a.now)
}

move(e, a) := sprintf("%s %s", [e, lib.fmt(a.after[e])]) if {
	not moved(e, a)
}

moved(e, a) if {
	e in a.changed
	e in object.keys(a.now)
}

not_others(others, kinds) := nobody(others, kinds) if count(others) > 0

not_others(others, _) := "the other plans do the opposite" if count(others) == 0

# nobody renders "production's plan does not" or "dev's plan and
# production (state, no plan) do not".
nobody(others, kinds) := sprintf("%s does not", [subject(others[0], kinds)]) if count(others) == 1

nobody(others, kinds) := sprintf("%s do not", [concat(" and ", [subject(e, kinds) | some e in others])]) if count(others) > 1

# subject names who is not making the change: an environment's plan, or the
# environment itself when its input is a state (there is no plan to blame).
# kinds is input.kinds, which names every environment's input kind.
subject(e, kinds) := sprintf("%s's plan", [e]) if kinds[e] == "plan"

subject(e, kinds) := sprintf("%s (state, no plan)", [e]) if kinds[e] != "plan"
