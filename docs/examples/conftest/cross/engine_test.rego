package main

import rego.v1

plans := lockstep.input_from([
	"staging=../../../../testdata/scenarios/a-staging-only-change/staging.plan.json",
	"production=../../../../testdata/scenarios/a-staging-only-change/production.plan.json",
])

test_production_engine_denied if {
	findings := deny with input as plans
	some f in findings
	f.environments == ["production"]
	f.address == "terraform_data.db"
}

test_staging_engine_allowed if {
	findings := deny with input as plans
	every f in findings {
		f.environments != ["staging"]
	}
}
