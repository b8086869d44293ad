package main

import rego.v1

test_from_files if {
	deny["x"] with input as lockstep.input_from(["staging=a.json", "production=b.json"])
}
