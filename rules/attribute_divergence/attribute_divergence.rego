# METADATA
# title: Attribute differs between environments
# description: |
#   A matched resource's attribute already differs between the environments'
#   current states, is not declared with expect_difference, and no plan
#   touches it. Staging no longer rehearses what production runs.
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
		sprintf("%s differs: %s%s", [first.path, lib.env_values(envs, first.now), lib.and_more_of(attrs, r, "attributes_omitted")]),
		{
			"attributes": [{"path": a.path, "values": a.now} | some a in attrs],
			"addresses": lib.addresses(r),
		},
	)
}
