package lockstep.parity

import data.lockstep.lib

# METADATA
# title: Database engines match
# custom:
#   id: db-engine-parity
deny contains msg if {
	some r in input.resources
	some a in r.attributes
	a.path == "input.engine_version"
	a.differs_after
	msg := {"msg": sprintf("%s: engine %s", [r.address, lib.env_values(input.environments, a.after)]), "address": r.address}
}

# Single environment: data.limits comes from limits.yaml beside this file.
warn contains msg if {
	count(input.env.production.resources) > data.limits.max_resources
	msg := "production has too many resources"
}
