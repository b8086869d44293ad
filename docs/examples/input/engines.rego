# METADATA
# title: Database engines are on a supported major version
# description: |
#   The last environment of the promotion chain (production) runs only
#   engine major versions listed in engines.yaml.
# custom:
#   id: engine-supported
#   severity: error
#   remediation: |
#     Upgrade the database to a supported major version, staging first.
package lockstep.engines

# The last environment of the promotion chain.
production := input.environments[count(input.environments) - 1]

# Single environment: look the database up by type in production alone.
deny_unsupported contains finding if {
	some address in input.env[production].by_type.terraform_data
	version := input.env[production].resources[address].after.input.engine_version
	not major(version) in data.engines.supported_majors

	finding := {
		"msg": sprintf("%s runs engine %s in %s; supported majors: %s", [
			address, version, production, concat(", ", data.engines.supported_majors),
		]),
		"address": address,
		"environments": [production],
	}
}

# METADATA
# title: An engine upgrade has not reached the next environment
# description: |
#   A database runs an older engine version in an environment than in the
#   one before it: an upgrade is still rolling out.
# custom:
#   id: engine-lag
#   severity: warning
#   remediation: |
#     Apply the upgrade to the environment that lags.
warn_lag contains finding if {
	# Cross-environment: one entry per resource matched across environments,
	# with its address in each of them.
	some r in input.resources
	r.type == "terraform_data"
	some i, s in r.environments
	i > 0
	prev := r.environments[i - 1]
	s.after
	prev.after

	# Each environment's values, read from its own copy of the resource.
	lagging := input.env[s.env].resources[s.address].after.input.engine_version
	leading := input.env[prev.env].resources[prev.address].after.input.engine_version
	parts(lagging) < parts(leading)

	finding := {
		"msg": sprintf("%s runs engine %s in %s, behind %s in %s", [r.address, lagging, s.env, leading, prev.env]),
		"address": r.address,
		"environments": [prev.env, s.env],
		"details": {"attributes": [{"path": "input.engine_version", "values": {prev.env: leading, s.env: lagging}}]},
	}
}

major(version) := split(version, ".")[0]

# parts turns "15.4" into [15, 4]; arrays compare element by element.
parts(version) := [to_number(p) | some p in split(version, ".")]
