# The same check as ../single/engine.rego, rewritten for lockstep's
# cross-environment input: one rule sees every environment, so it can
# name the environment in its finding and compare environments.
package main

import rego.v1

# METADATA
# title: Database engine is not 15.x
# custom:
#   id: engine-15
deny contains finding if {
	some name in input.environments
	some address in input.env[name].by_type.terraform_data
	version := input.env[name].resources[address].after.input.engine_version
	not startswith(version, "15.")
	finding := {
		"msg": sprintf("%s runs engine %s in %s; 15.x is required", [address, version, name]),
		"address": address,
		"environments": [name],
	}
}
