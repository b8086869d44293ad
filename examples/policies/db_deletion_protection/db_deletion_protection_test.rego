package lockstep.db_deletion_protection_test

import data.lockstep.db_deletion_protection

# --- Unit tests on hand-written inputs -------------------------------------

addr := "aws_db_instance.main"

# prod builds an input whose last environment, production, has one database
# with the given resource fields (after, action, after_unknown).
prod(fields) := {
	"environments": ["staging", "production"],
	"env": {
		"staging": {"by_type": {}, "resources": {}},
		"production": {
			"by_type": {"aws_db_instance": [addr]},
			"resources": {addr: object.union({"address": addr, "type": "aws_db_instance", "action": "no-op", "after_unknown": null}, fields)},
		},
	},
}

test_protected_database_passes if {
	count(db_deletion_protection.deny) == 0 with input as prod({"after": {"deletion_protection": true}})
}

test_unprotected_database_fails if {
	db_deletion_protection.deny == {{
		"msg": "aws_db_instance.main in production: deletion_protection is false",
		"address": addr,
		"environments": ["production"],
		"details": {"attributes": [{"path": "deletion_protection", "values": {"production": false}}]},
	}} with input as prod({"after": {"deletion_protection": false}})
}

test_message_names_what_the_plan_does if {
	some f in db_deletion_protection.deny with input as prod({"action": "create", "after": {"deletion_protection": null}})
	f.msg == "production's plan creates aws_db_instance.main: deletion_protection is not set"
}

test_database_the_plan_deletes_is_not_judged if {
	# Deleting it is what one-sided-change and promotion-order are about.
	count(db_deletion_protection.deny) == 0 with input as prod({"action": "delete", "after": null})
}

test_value_known_only_after_apply_is_not_judged if {
	count(db_deletion_protection.deny) == 0 with input as prod({"action": "create", "after": {"deletion_protection": null}, "after_unknown": {"deletion_protection": true}})
}

test_only_the_last_environment_is_checked if {
	inp := prod({"after": {"deletion_protection": false}})
	reordered := object.union(inp, {"environments": ["production", "staging"]})
	count(db_deletion_protection.deny) == 0 with input as reordered
}

# --- Tests on real Terraform output ------------------------------------------

# infracost's RDS example (Terraform 0.12, AWS): its prior state as staging
# and its plan as production. The plan updates db_1 and creates db_2, both
# with deletion_protection = false.
test_real_rds_plan_without_protection if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/infracost/terraform_v0.12_state.json",
		"production=../../../testdata/real/infracost/terraform_v0.12_plan.json",
	])
	{f.msg | some f in db_deletion_protection.deny} == {
		"production's plan updates module.db.module.db_1.module.db_instance.aws_db_instance.this[0]: deletion_protection is false",
		"production's plan creates module.db.module.db_2.module.db_instance.aws_db_instance.this[0]: deletion_protection is false",
	} with input as inp
}

# The same state as production: only the database that exists is reported,
# and staging (the same file) is not checked.
test_real_rds_state if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/infracost/terraform_v0.12_state.json",
		"production=../../../testdata/real/infracost/terraform_v0.12_state.json",
	])
	{f.msg | some f in db_deletion_protection.deny} == {"module.db.module.db_1.module.db_instance.aws_db_instance.this[0] in production: deletion_protection is false"} with input as inp
}

# A real Cloud SQL instance (driftctl's fixture, google provider) keeps the
# provider's default, deletion_protection = true.
test_real_cloud_sql_protected if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/driftctl/google_sql_database_instance.tfstate",
		"production=../../../testdata/real/driftctl/google_sql_database_instance.tfstate",
	])
	count(inp.env.production.by_type.google_sql_database_instance) == 1
	count(db_deletion_protection.deny) == 0 with input as inp
}

# The scenarios have no database resource types (only terraform_data).
test_scenario_has_nothing_to_check if {
	inp := lockstep.input_from([
		"staging=../../../testdata/scenarios/a-staging-only-change/staging.plan.json",
		"production=../../../testdata/scenarios/a-staging-only-change/production.plan.json",
	])
	count(db_deletion_protection.deny) == 0 with input as inp
}
