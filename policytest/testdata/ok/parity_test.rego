package lockstep.parity_test

import data.lockstep.parity

# Fixtures are real Terraform output, paths relative to this file.
scenario(name) := lockstep.input_from([
	sprintf("staging=../../../testdata/scenarios/%s/staging.plan.json", [name]),
	sprintf("production=../../../testdata/scenarios/%s/production.plan.json", [name]),
])

test_staging_only_change_is_denied if {
	inp := scenario("a-staging-only-change")
	parity.deny == {{"msg": "terraform_data.db: engine staging 15.4, production 14.9", "address": "terraform_data.db"}} with input as inp
}

test_declared_differences_have_no_engine_finding if {
	inp := scenario("d-declared-differences")
	count(parity.deny) == 0 with input as inp
}

test_data_document_is_loaded if {
	data.limits.max_resources == 3
	inp := scenario("a-staging-only-change")
	parity.warn == {"production has too many resources"} with input as inp
}

test_object_form_with_target if {
	inp := lockstep.input_from({
		"env": [
			"staging=../../../testdata/scenarios/c-promotion-after/staging.plan.json",
			"production=../../../testdata/scenarios/c-promotion-after/production.plan.json",
		],
		"target": "production",
	})
	inp.target == "production"
	inp.previous == "staging"
}
