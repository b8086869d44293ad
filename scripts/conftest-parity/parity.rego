# A parity policy written for conftest, the reference scripts/bench-vs-conftest
# times lockstep against: run with --combine over a staging and a production
# plan, it joins their resource_changes by address and reports resources
# that exist in one plan only and top-level attributes whose planned values
# differ (identifiers left out), which is what lockstep's missing-resource
# and attribute-divergence rules judge, without lockstep's normalisation.
package main

import rego.v1

plan(env) := [f.contents | some f in input; contains(f.path, env)][0]

staging := {rc.address: rc.change.after | some rc in plan("staging").resource_changes}

production := {rc.address: rc.change.after | some rc in plan("production").resource_changes}

ignored := {"id", "arn", "private_ip", "private_dns", "primary_network_interface_id"}

deny contains msg if {
	some addr, _ in staging
	not production[addr]
	msg := sprintf("%s exists in staging only", [addr])
}

deny contains msg if {
	some addr, _ in production
	not staging[addr]
	msg := sprintf("%s exists in production only", [addr])
}

deny contains msg if {
	some addr, after in staging
	other := production[addr]
	some key, value in after
	not ignored[key]
	other[key] != value
	msg := sprintf("%s: %s differs between staging and production", [addr, key])
}
