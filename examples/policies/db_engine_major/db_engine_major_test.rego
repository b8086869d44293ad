package lockstep.db_engine_major_test

import data.lockstep.db_engine_major

# --- Unit tests on hand-written inputs -------------------------------------
#
# Only the fields the rule reads: the matched resource in input.resources
# and each environment's copy of it in input.env.

addr := "aws_db_instance.main"

# doc builds a two-environment input where aws_db_instance.main exists in
# both, with the given engine and the given version per environment.
doc(engine, versions) := {
	"environments": ["staging", "production"],
	"resources": [{
		"address": addr,
		"type": "aws_db_instance",
		"environments": [{"env": e, "address": addr, "after": true} | some e in ["staging", "production"]],
	}],
	"env": {e: {"resources": {addr: {
		"type": "aws_db_instance",
		"after": {"engine": engine, "engine_version": v},
	}}} |
		some e, v in versions
	},
}

test_minor_versions_may_differ if {
	count(db_engine_major.deny) == 0 with input as doc("postgres", {"staging": "15.7", "production": "15.4"})
}

test_major_versions_may_not if {
	db_engine_major.deny == {{
		"msg": "aws_db_instance.main runs different major engine versions after the plans: staging 16 (16.2), production 15 (15.4)",
		"address": addr,
		"environments": ["staging", "production"],
		"details": {
			"attributes": [{"path": "engine_version", "values": {"staging": "16.2", "production": "15.4"}}],
			"addresses": {"staging": addr, "production": addr},
		},
	}} with input as doc("postgres", {"staging": "16.2", "production": "15.4"})
}

test_mysql_major_is_two_numbers if {
	count(db_engine_major.deny) == 1 with input as doc("mysql", {"staging": "8.0.35", "production": "5.7.44"})
	count(db_engine_major.deny) == 0 with input as doc("mysql", {"staging": "8.0.35", "production": "8.0.28"})
}

test_unknown_version_is_not_judged if {
	# A version known only after apply is null in the plan.
	count(db_engine_major.deny) == 0 with input as doc("postgres", {"staging": "16.2", "production": null})
}

test_database_deleted_by_a_plan_is_not_compared if {
	inp := doc("postgres", {"staging": "16.2", "production": "15.4"})
	gone := json.patch(inp, [{"op": "replace", "path": "/resources/0/environments/1/after", "value": false}])
	count(db_engine_major.deny) == 0 with input as gone
}

test_cloud_sql_database_version if {
	a := "google_sql_database_instance.main"
	inp := {
		"environments": ["staging", "production"],
		"resources": [{
			"address": a, "type": "google_sql_database_instance",
			"environments": [{"env": "staging", "address": a, "after": true}, {"env": "production", "address": a, "after": true}],
		}],
		"env": {
			"staging": {"resources": {a: {"type": "google_sql_database_instance", "after": {"database_version": "MYSQL_8_0"}}}},
			"production": {"resources": {a: {"type": "google_sql_database_instance", "after": {"database_version": "MYSQL_5_7"}}}},
		},
	}
	some f in db_engine_major.deny with input as inp
	f.msg == "google_sql_database_instance.main runs different major engine versions after the plans: staging MYSQL_8_0 (MYSQL_8_0), production MYSQL_5_7 (MYSQL_5_7)"
}

# --- Tests on real Terraform output ------------------------------------------
#
# lockstep.input_from builds the same input document `lockstep check` gives
# the rules, from plan and state files (paths relative to this file).

scenario(name) := lockstep.input_from([
	sprintf("staging=../../../testdata/scenarios/%s/staging.plan.json", [name]),
	sprintf("production=../../../testdata/scenarios/%s/production.plan.json", [name]),
])

# Scenario a: staging was applied with engine 15.4, production with 14.9.
test_scenario_staging_only_change if {
	inp := scenario("a-staging-only-change")
	some f in db_engine_major.deny with input as inp
	f.address == "terraform_data.db"
	f.environments == ["staging", "production"]
	f.msg == "terraform_data.db runs different major engine versions after the plans: staging 15 (15.4), production 14 (14.9)"
}

# Scenario b: staging's plan upgrades to 15.4 and production's does not, so
# after the plans the majors differ.
test_scenario_plan_upgrades_staging_only if {
	inp := scenario("b-pr-changes-staging-only")
	count(db_engine_major.deny) == 1 with input as inp
}

# Scenario c: both plans upgrade (before), or staging already has and
# production's plan catches up (after): the same major after the plans.
test_scenario_promotion_in_order if {
	before := scenario("c-promotion-before")
	count(db_engine_major.deny) == 0 with input as before
	after := scenario("c-promotion-after")
	count(db_engine_major.deny) == 0 with input as after
}

# States work too: scenario a as `terraform show -json` states.
test_scenario_states if {
	inp := lockstep.input_from([
		"staging=../../../testdata/scenarios/a-staging-only-change/staging.state.json",
		"production=../../../testdata/scenarios/a-staging-only-change/production.state.json",
	])
	count(db_engine_major.deny) == 1 with input as inp
}

# A real AWS plan (infracost's RDS example, Terraform 0.12): its prior state
# as "staging" and the plan as "production". MySQL 5.7.19 on both sides.
test_real_rds_same_major if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/infracost/terraform_v0.12_state.json",
		"production=../../../testdata/real/infracost/terraform_v0.12_plan.json",
	])
	count(inp.env.production.by_type.aws_db_instance) == 2
	count(db_engine_major.deny) == 0 with input as inp
}
