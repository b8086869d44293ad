package lockstep.engines_test

import data.lockstep.engines

# A hand-written input: only the fields the rules read.
db(staging, production) := {
	"environments": ["staging", "production"],
	"resources": [{
		"address": "terraform_data.db",
		"type": "terraform_data",
		"environments": [
			{"env": "staging", "address": "terraform_data.db", "after": true},
			{"env": "production", "address": "terraform_data.db", "after": true},
		],
	}],
	"env": {
		"staging": {
			"by_type": {"terraform_data": ["terraform_data.db"]},
			"resources": {"terraform_data.db": {"after": {"input": {"engine_version": staging}}}},
		},
		"production": {
			"by_type": {"terraform_data": ["terraform_data.db"]},
			"resources": {"terraform_data.db": {"after": {"input": {"engine_version": production}}}},
		},
	},
}

test_supported_and_in_step if {
	count(engines.deny_unsupported) == 0 with input as db("16.2", "16.2")
	count(engines.warn_lag) == 0 with input as db("16.2", "16.2")
}

test_unsupported_in_production if {
	engines.deny_unsupported == {{
		"msg": "terraform_data.db runs engine 14.9 in production; supported majors: 15, 16",
		"address": "terraform_data.db",
		"environments": ["production"],
	}} with input as db("15.4", "14.9")
}

test_lag_compares_numbers_not_text if {
	# As text "15.10" < "15.9"; as numbers it is newer.
	count(engines.warn_lag) == 0 with input as db("15.9", "15.10")
	count(engines.warn_lag) == 1 with input as db("15.10", "15.9")
}

# The real input of the example in docs/input.md: scenario a with this
# directory's lockstep.hcl (paths relative to this file).
test_scenario_a if {
	inp := lockstep.input_from({
		"env": [
			"staging=../../../testdata/scenarios/a-staging-only-change/staging.plan.json",
			"production=../../../testdata/scenarios/a-staging-only-change/production.plan.json",
		],
		"config": "lockstep.hcl",
	})

	# The declared difference is gone from the facts...
	some r in inp.resources
	r.address == "terraform_data.db"
	r.attributes == []

	# ...but each environment's values are still in input.env.
	{f.msg | some f in engines.deny_unsupported} == {"terraform_data.db runs engine 14.9 in production; supported majors: 15, 16"} with input as inp
	{f.msg | some f in engines.warn_lag} == {"terraform_data.db runs engine 14.9 in production, behind 15.4 in staging"} with input as inp
}
