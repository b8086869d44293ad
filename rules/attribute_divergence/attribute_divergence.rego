# METADATA
# title: Attribute differs between environments
# description: |
#   A matched resource's attribute already differs between the environments'
#   current states, is not declared with expect_difference, and no plan
#   touches it. Staging no longer rehearses what production runs. A list
#   of references (security group ids) is compared as the set of resources
#   it points at, not by position: "production lacks the reference to
#   aws_security_group.monitoring".
# custom:
#   severity: error
#   remediation: |
#     Converge the environments (apply the change that is missing), or declare
#     the difference with an expect_difference block in lockstep.hcl, with the
#     reason it is intended.
package lockstep.rules.attribute_divergence

import data.lockstep.lib

findings contains f if {
	some r in input.resources
	attrs := [a |
		some a in r.attributes
		a.differs_now
		a.differs_after
		count(a.changed) == 0
	]
	count(attrs) > 0
	envs := lib.envs_where(r, "now")
	first := attrs[0]

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		envs,
		sprintf("%s differs: %s%s", [first.path, values_text(envs, first), lib.and_more_of(attrs, r, "attributes_omitted")]),
		{
			"attributes": [detail(a) | some a in attrs],
			"addresses": lib.addresses(r),
		},
	)
}

# detail is an attribute as details show it, with the resources a set of
# references points at in each environment.
detail(a) := {"path": a.path, "values": a.now} if not a.references

detail(a) := {"path": a.path, "values": a.now, "references": a.references.now} if a.references

# values_text is "staging 15.4, production 14.9", or for a set of
# references what each environment lacks of the others'.
values_text(envs, a) := lacks if {
	a.references
	lacks := lib.lacks_text(envs, a.references.now)
	lacks != ""
}

values_text(envs, a) := lib.env_values(envs, a.now) if {
	not lib.lacks_text(envs, object.get(object.get(a, "references", {}), "now", {})) != ""
}
