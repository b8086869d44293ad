# A single-plan policy, as a conftest user writes one, that puts a
# sensitive value of the plan into its messages and print() output: what
# lockstep prints of it must be redacted.
package main

import rego.v1

# METADATA
# title: Database password in the plan
# custom:
#   id: db-password-in-plan
deny contains {"msg": sprintf("%s sets password %s", [rc.address, pw]), "address": rc.address} if {
	some rc in input.resource_changes
	pw := rc.change.after.input.password
	print("password of", rc.address, "is", pw)
}

warn_plan_summary contains sprintf("the plan changes %d resources (terraform %s)", [count(input.resource_changes), input.terraform_version])

deny_engine contains msg if {
	some rc in input.resource_changes
	rc.change.after.input.engine_version == "14.9"
	msg := sprintf("%s runs engine 14.9, password %s", [rc.address, rc.change.after.input.password])
}
