# METADATA
# title: Same secret in two environments
# description: |
#   Two environments hold the same sensitive value at the same attribute of
#   a matched resource, for example production's database password reused in
#   staging. Values are compared through a keyed hash that is fresh for every
#   run and never printed. Values too plain to be credentials (booleans,
#   numbers, strings under 8 characters) are not reported.
# custom:
#   severity: error
#   remediation: |
#     Give each environment its own secret and rotate the one that was shared:
#     anyone with access to the less protected environment has had the other
#     environment's credential.
package lockstep.rules.shared_secret

import data.lockstep.lib

findings contains f if {
	some r in input.resources
	first := r.shared_secrets[0]
	involved := {e | some s in r.shared_secrets; some e in s.environments}

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[e | some e in input.environments; e in involved],
		sprintf("%s use the same sensitive value at %s%s", [
			and_list(first.environments), first.path, lib.and_more_of(r.shared_secrets, r, "shared_secrets_omitted"),
		]),
		{
			"attributes": [{"path": s.path, "values": {e: lib.sensitive_text | some e in s.environments}} |
				some s in r.shared_secrets
			],
			"addresses": lib.addresses(r),
		},
	)
}

and_list(envs) := concat(" and ", envs) if count(envs) <= 2

and_list(envs) := sprintf("%s and %s", [concat(", ", array.slice(envs, 0, count(envs) - 1)), envs[count(envs) - 1]]) if {
	count(envs) > 2
}
