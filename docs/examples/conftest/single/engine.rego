# A single-plan policy, as written for conftest: it reads one plan
# (input.resource_changes) and knows nothing of other environments.
package main

import rego.v1

deny contains msg if {
	some rc in input.resource_changes
	rc.type == "terraform_data"
	version := rc.change.after.input.engine_version
	not startswith(version, "15.")
	msg := sprintf("%s runs engine %s; 15.x is required", [rc.address, version])
}
