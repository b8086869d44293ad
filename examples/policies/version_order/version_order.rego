# METADATA
# title: No environment runs a newer Terraform or provider than the one before it
# description: |
#   Versions move through the promotion chain like any other change: the
#   Terraform version an environment's input was made with, and each provider
#   version locked in its .terraform.lock.hcl, is never newer than in the
#   environment before it. Production on a Terraform or provider release that
#   staging has not run means the upgrade was never rehearsed. The built-in
#   version-skew rule warns about every difference; this rule fails only on
#   the direction that skips an environment.
# custom:
#   id: version-ahead-of-promotion
#   severity: error
#   remediation: |
#     Upgrade the earlier environment first (run its pipeline with the new
#     Terraform, or commit its lock file with the new provider version), or
#     pin the later environment back to the version the earlier one runs.
package lockstep.version_order

# input.versions holds one entry per versioned item known in two or more
# environments, with each environment's value; comparing consecutive
# environments of input.environments (the promotion chain) is enough.
deny contains finding if {
	some v in input.versions
	v.kind in {"terraform", "provider"}
	some i, later in input.environments
	i > 0
	earlier := input.environments[i - 1]
	newer := v.values[later]
	older := v.values[earlier]
	semver.is_valid(newer)
	semver.is_valid(older)
	semver.compare(newer, older) > 0

	finding := {
		"msg": sprintf("%s %s %s %s but %s %s %s: upgrade %s first", [
			later, verb[v.kind], item(v), newer,
			earlier, verb[v.kind], older, earlier,
		]),
		"environments": [earlier, later],
		"details": {"version": {"kind": v.kind, "name": v.name, "values": {earlier: older, later: newer}}},
	}
}

verb := {"terraform": "runs", "provider": "locks"}

# item names the versioned thing in a message. The finding has no address:
# it is about the environments as a whole, like version-skew's.
item(v) := "Terraform" if v.kind == "terraform"

item(v) := sprintf("provider %s", [v.name]) if v.kind == "provider"
