package lockstep.required_tags_test

import data.lockstep.required_tags

# --- Unit tests on hand-written inputs -------------------------------------
#
# Settings are given with `with data.required_tags as ...`, so these tests
# do not depend on required_tags.yaml.

settings := {"tags": ["Environment", "Owner"], "environments": ["production"], "environment_tag": "Environment"}

# one builds an input whose production has one resource with the given
# fields; staging has the same resource untagged.
one(fields) := {
	"environments": ["staging", "production"],
	"env": {
		"staging": {"aliases": [], "resources": {"aws_s3_bucket.logs": {"after": {"tags": {}}, "after_unknown": null}}},
		"production": {"aliases": ["prod"], "resources": {"aws_s3_bucket.logs": object.union({"after_unknown": null}, fields)}},
	},
}

test_tagged_resource_passes if {
	inp := one({"after": {"tags": {"Environment": "production", "Owner": "team-data"}}})
	count(required_tags.deny_missing_tags) == 0 with input as inp with data.required_tags as settings
	count(required_tags.warn_environment_tag) == 0 with input as inp with data.required_tags as settings
}

test_missing_tags_are_listed if {
	inp := one({"after": {"tags": {"Environment": "production"}}})
	required_tags.deny_missing_tags == {{
		"msg": "aws_s3_bucket.logs in production is missing the required tag Owner",
		"address": "aws_s3_bucket.logs",
		"environments": ["production"],
		"details": {"missing_tags": ["Owner"]},
	}} with input as inp
		with data.required_tags as settings
}

test_null_tags_miss_every_tag if {
	inp := one({"after": {"tags": null}})
	some f in required_tags.deny_missing_tags with input as inp with data.required_tags as settings
	f.msg == "aws_s3_bucket.logs in production is missing the required tags Environment, Owner"
}

test_default_tags_count if {
	# tags_all is tags plus the AWS provider's default_tags.
	inp := one({"after": {"tags": {}, "tags_all": {"Environment": "production", "Owner": "platform"}}})
	count(required_tags.deny_missing_tags) == 0 with input as inp with data.required_tags as settings
}

test_auto_scaling_group_tag_blocks if {
	inp := one({"after": {"tags": [{"key": "Environment", "value": "production", "propagate_at_launch": true}]}})
	{f.msg | some f in required_tags.deny_missing_tags} == {"aws_s3_bucket.logs in production is missing the required tag Owner"} with input as inp
		with data.required_tags as settings
}

test_resources_without_tags_are_skipped if {
	inp := one({"after": {"bucket": "logs"}})
	count(required_tags.deny_missing_tags) == 0 with input as inp with data.required_tags as settings
}

test_tags_known_only_after_apply_are_skipped if {
	inp := one({"after": {"tags": null}, "after_unknown": {"tags": true}})
	count(required_tags.deny_missing_tags) == 0 with input as inp with data.required_tags as settings
}

test_deleted_resource_is_skipped if {
	inp := one({"after": null})
	count(required_tags.deny_missing_tags) == 0 with input as inp with data.required_tags as settings
}

test_environment_tag_from_another_environment if {
	inp := one({"after": {"tags": {"Environment": "staging", "Owner": "team-data"}}})
	required_tags.warn_environment_tag == {{
		"msg": "aws_s3_bucket.logs in production has tag Environment = \"staging\", which names another environment",
		"address": "aws_s3_bucket.logs",
		"environments": ["production"],
		"details": {"attributes": [{"path": "tags.Environment", "values": {"production": "staging"}}]},
	}} with input as inp
		with data.required_tags as settings
}

test_environment_tag_may_be_an_alias if {
	inp := one({"after": {"tags": {"Environment": "PROD", "Owner": "team-data"}}})
	count(required_tags.warn_environment_tag) == 0 with input as inp with data.required_tags as settings
}

test_other_environments_are_not_enforced if {
	inp := one({"after": {"tags": {}}})
	staging := object.union(settings, {"environments": ["staging"]})
	{f.environments | some f in required_tags.deny_missing_tags} == {["staging"]} with input as inp
		with data.required_tags as staging
}

test_fails_closed_without_settings if {
	inp := one({"after": {"tags": {}}})
	required_tags.deny_missing_tags == {"required_tags: data.required_tags.tags is not set; load required_tags.yaml with --policy pointing at the directory that contains required_tags/"} with input as inp
		with data.required_tags as {}
}

# --- Tests on real Terraform output and the shipped required_tags.yaml -----

# The settings file is loaded as data.required_tags by
# `lockstep test examples/policies`.
test_shipped_settings_are_loaded if {
	data.required_tags.tags == ["Environment", "Owner"]
	data.required_tags.environments == ["production"]
}

# infracost's RDS example (Terraform 0.12, AWS): its prior state as staging
# and its plan as production. The database module tags everything with
# Environment = "dev" and an Owner; the EC2 instances and default VPCs carry
# neither tag.
test_real_aws_plan if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/infracost/terraform_v0.12_state.json",
		"production=../../../testdata/real/infracost/terraform_v0.12_plan.json",
	])
	missing := required_tags.deny_missing_tags with input as inp
	count(missing) == 14
	some m in missing
	m.msg == "module.db.aws_default_vpc.default in production is missing the required tags Environment, Owner"

	wrong := required_tags.warn_environment_tag with input as inp
	count(wrong) == 10
	some w in wrong
	w.msg == "module.db.module.db_2.module.db_instance.aws_db_instance.this[0] in production has tag Environment = \"dev\", which names another environment"
}

# terraform-compliance's issue-249 plan (Terraform 0.12, AWS) has a richer
# tagging scheme. Configured for it, with the plan as both environments:
# every resource that takes tags has them, but some say Environment = "SB",
# which names the sandbox only once lockstep.hcl declares the alias.
issue_249 := "../../../testdata/real/terraform-compliance/test_issue-249.plan.json"

scheme := {"tags": ["application", "business_unit", "app_contacts"], "environments": ["sandbox"], "environment_tag": "Environment"}

test_real_tagging_scheme_without_alias if {
	inp := lockstep.input_from([sprintf("dev=%s", [issue_249]), sprintf("sandbox=%s", [issue_249])])
	count(required_tags.deny_missing_tags) == 0 with input as inp with data.required_tags as scheme
	{f.address | some f in required_tags.warn_environment_tag} == {
		"aws_iam_role.instance_role",
		"aws_iam_role.lambda_role",
		"aws_security_group.lambda_sg",
	} with input as inp
		with data.required_tags as scheme
}

test_real_tagging_scheme_with_alias if {
	inp := lockstep.input_from({
		"env": [sprintf("dev=%s", [issue_249]), sprintf("sandbox=%s", [issue_249])],
		"config": "testdata/sandbox.hcl",
	})
	inp.env.sandbox.aliases == ["sb"]
	count(required_tags.warn_environment_tag) == 0 with input as inp with data.required_tags as scheme
}

# A real Azure state (driftctl's fixture): one network security group is
# tagged environment = "Production", the other and the resource group are
# not tagged at all.
test_real_azure_state if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/driftctl/azurerm_network_security_group.tfstate",
		"production=../../../testdata/real/driftctl/azurerm_network_security_group.tfstate",
	])
	azure := {"tags": ["environment"], "environments": ["production"], "environment_tag": "environment"}
	{f.address | some f in required_tags.deny_missing_tags} == {
		"azurerm_network_security_group.example-1",
		"azurerm_resource_group.example",
	} with input as inp
		with data.required_tags as azure
	count(required_tags.warn_environment_tag) == 0 with input as inp with data.required_tags as azure
}

# The scenarios hold only terraform_data, which takes no tags.
test_scenario_has_nothing_to_check if {
	inp := lockstep.input_from([
		"staging=../../../testdata/scenarios/a-staging-only-change/staging.plan.json",
		"production=../../../testdata/scenarios/a-staging-only-change/production.plan.json",
	])
	count(required_tags.deny_missing_tags) == 0 with input as inp
	count(required_tags.warn_environment_tag) == 0 with input as inp
}
