package main

import rego.v1

deny contains name if {
	some name, _ in input.env
}
