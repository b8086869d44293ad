package main

import rego.v1

deny contains sprintf("%s is public", [rc.address]) if {
	some rc in input.resource_changes
	rc.change.after.acl == "public-read"
}
