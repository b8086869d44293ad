package main

import rego.v1

deny contains msg if {
	some name, _ in input.env
	msg := name
}
