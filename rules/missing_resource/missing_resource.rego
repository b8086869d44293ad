# METADATA
# title: Resource missing from an environment
# description: |
#   A resource exists in one environment's current state and not in another's,
#   and the plans do not resolve it. This is how "applied to staging only"
#   looks once it has happened.
# custom:
#   severity: error
#   remediation: |
#     Apply the resource to the environments that lack it, or destroy it where
#     it should not exist. If it belongs to one environment by design, declare
#     it with an only_in block in lockstep.hcl.
package lockstep.rules.missing_resource

import data.lockstep.lib

findings contains f if {
	some r in input.resources
	present := lib.envs_where(r, "now")
	count(present) > 0
	missing := [e | some e in lib.envs_without(r, "now"); not lib.absent_by_design(r, present, e)]
	count(missing) > 0

	# A plan that creates or deletes it is judged by one-sided-change.
	not plans_change_presence(r)

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[s.env | some s in r.environments],
		sprintf("exists in %s but not in %s", [concat(", ", present), concat(", ", missing)]),
		{"present": present, "missing": missing, "addresses": lib.addresses(r)},
	)
}

plans_change_presence(r) if {
	some s in r.environments
	s.now != s.after
}
