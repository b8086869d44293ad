package main

import rego.v1

test_old_engine_denied if {
	deny["terraform_data.db runs engine 14.9; 15.x is required"] with input as {"resource_changes": [{
		"address": "terraform_data.db",
		"type": "terraform_data",
		"change": {"after": {"input": {"engine_version": "14.9"}}},
	}]}
}

test_current_engine_allowed if {
	count(deny) == 0 with input as {"resource_changes": [{
		"address": "terraform_data.db",
		"type": "terraform_data",
		"change": {"after": {"input": {"engine_version": "15.4"}}},
	}]}
}
