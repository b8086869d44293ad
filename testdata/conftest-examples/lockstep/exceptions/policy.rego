# Not conftest's: written for lockstep's tests, to compare how conftest and
# lockstep count exceptions, warnings and failures on the same plans.
package main

import rego.v1

deny_google contains msg if {
	some rc in input.resource_changes
	startswith(rc.type, "google_")
	msg := sprintf("%s is a Google resource", [rc.address])
}

violation_module contains msg if {
	some rc in input.resource_changes
	startswith(rc.address, "module.")
	msg := sprintf("%s is in a module", [rc.address])
}

warn_changes contains msg if {
	some rc in input.resource_changes
	msg := sprintf("%s is in the plan", [rc.address])
}

# Two ways of excepting deny_google for Terraform 0.12 plans: conftest
# counts two exceptions.
exception contains ["google"] if input.terraform_version == "0.12.0-beta2"

exception contains ["google", "unused"] if input.terraform_version == "0.12.0-beta2"
