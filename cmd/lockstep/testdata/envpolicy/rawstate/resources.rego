package main

import rego.v1

deny contains r.type if {
	some r in input.resources
	r.type == "aws_db_instance"
}
