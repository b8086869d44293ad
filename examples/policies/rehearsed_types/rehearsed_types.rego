# METADATA
# title: Every kind of resource is rehearsed in the environment before
# description: |
#   Every resource type an environment will have after its plan also exists
#   in the environment before it in the promotion chain (staging before
#   production), so that changes to that type are tried somewhere first. A
#   type that only production has (a WAF, a read replica, a firewall rule
#   collection) is changed in production without rehearsal. Resources that
#   lockstep.hcl assigns to the later environment with only_in are left out:
#   declaring them is how a deliberate production-only purchase is accepted.
# custom:
#   id: unrehearsed-resource-type
#   severity: warning
#   remediation: |
#     Add a (small) instance of the type to the earlier environment, or, when
#     the later environment alone is meant to have it, declare its resources
#     in lockstep.hcl with only_in "<environment>" and a reason.
package lockstep.rehearsed_types

# A warn rule: conftest's convention makes it a warning unless METADATA says
# otherwise (here it says so explicitly).
warn contains finding if {
	some i, later in input.environments
	i > 0
	earlier := input.environments[i - 1]

	# by_type indexes each environment's resources by type, so this reads
	# the type names rather than every resource.
	some type, addresses in input.env[later].by_type
	not input.env[earlier].by_type[type]

	live := [a |
		some a in addresses
		input.env[later].resources[a].after != null
		not declared_only_in(later, earlier, a)
	]
	count(live) > 0

	finding := {
		"msg": sprintf("%s has no %s, so changes to %s's %s are not rehearsed", [
			earlier, type, later, describe(type, live),
		]),
		"address": live[0],
		"environments": [earlier, later],
		"details": {"present": [later], "missing": [earlier], "resources": live},
	}
}

# declared_only_in holds for an address of env that lockstep.hcl's only_in
# assigns to environments that do not include the earlier environment.
declared_only_in(env, earlier, address) if {
	some [e, a, only_in] in only_in_addresses
	e == env
	a == address
	not earlier in only_in
}

# only_in_addresses lists, once per evaluation, every environment address of
# a matched resource that has an only_in declaration.
only_in_addresses contains [s.env, s.address, r.only_in] if {
	some r in input.resources
	count(r.only_in) > 0
	some s in r.environments
	s.address != ""
}

describe(_, addresses) := addresses[0] if count(addresses) == 1

describe(type, addresses) := sprintf("%d %s (%s and %d more)", [count(addresses), type, addresses[0], count(addresses) - 1]) if count(addresses) > 1
