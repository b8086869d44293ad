# METADATA
# title: Value points at another environment's resource
# description: |
#   A value in one environment equals an identifier (id, arn, self link or
#   name) of a resource that belongs to another environment and to none of
#   its own: production depends on an object that exists only in staging.
#   Values that identify resources of both environments, and values too short
#   or plain to be identifiers (booleans, numbers, words under 8 characters),
#   are not references.
# custom:
#   severity: error
#   remediation: |
#     Point the setting at the environment's own object; the value was usually
#     copied from the other environment's tfvars or console. If the object is
#     shared on purpose, manage it in one place and waive the finding with the
#     reason.
package lockstep.rules.cross_env_reference

import data.lockstep.lib

# One finding per resource and environment that uses another environment's
# identifiers.
findings contains f if {
	some r in input.resources
	some env in {ref.env | some ref in r.references}
	refs := [ref | some ref in r.references; ref.env == env]
	first := refs[0]
	involved := {env} | {ref.owner.env | some ref in refs}

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[e | some e in input.environments; e in involved],
		sprintf("%s%s", [describe(first), lib.and_more({ref.path | some ref in refs})]),
		{
			"references": [{
				"env": ref.env, "path": ref.path, "value": ref.value,
				"planned": ref.planned, "owner": ref.owner,
			} |
				some ref in refs
			],
			"addresses": lib.addresses(r),
		},
	)
}

describe(ref) := sprintf("%s's %s is %q, the %s of %s's %s", [
	ref.env, ref.path, ref.value, ref.owner.attribute, ref.owner.env, ref.owner.address,
]) if not ref.planned

describe(ref) := sprintf("%s's plan sets %s to %q, the %s of %s's %s", [
	ref.env, ref.path, ref.value, ref.owner.attribute, ref.owner.env, ref.owner.address,
]) if ref.planned
