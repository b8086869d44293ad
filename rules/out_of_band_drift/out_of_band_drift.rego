# METADATA
# title: Resource changed outside Terraform
# description: |
#   A plan's resource_drift shows that a resource was changed or deleted
#   outside Terraform since the last apply (console edits, scripts, other
#   tools). Refresh-only plans are read too. Identifiers and timestamps that
#   providers refresh on their own are not counted as changes.
# custom:
#   severity: warning
#   remediation: |
#     Find out who changed it and why. Either bring the change into the
#     configuration, or apply to put the resource back; a refresh-only apply
#     accepts the change into state without changing the resource.
package lockstep.rules.out_of_band_drift

import data.lockstep.lib

findings contains f if {
	some d in input.drift
	d.action == "delete"

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		d.address,
		[d.env],
		sprintf("deleted outside Terraform in %s", [d.env]),
		{"actions": {d.env: [d.action]}},
	)
}

findings contains f if {
	some d in input.drift
	d.action != "delete"
	count(d.attributes) > 0
	first := d.attributes[0]

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		d.address,
		[d.env],
		sprintf("changed outside Terraform in %s: %s was %s, is now %s%s", [
			d.env, first.path, lib.fmt(first.before), lib.fmt(first.after), lib.and_more_of(d.attributes, d, "attributes_omitted"),
		]),
		{
			"attributes": [{"path": a.path, "values": {d.env: a.after}, "before": {d.env: a.before}} |
				some a in d.attributes
			],
			"actions": {d.env: [d.action]},
		},
	)
}
