package lockstep.rehearsed_types_test

import data.lockstep.rehearsed_types

# --- Unit tests on hand-written inputs -------------------------------------

# env builds one environment's part of the input from {address: type}, each
# resource present after the plan unless listed in gone.
env(resources, gone) := {
	"by_type": {t: sort([a | some a, t2 in resources; t2 == t]) | some t in resources},
	"resources": {a: {"type": t, "after": after(a, gone)} | some a, t in resources},
}

after(a, gone) := null if a in gone

after(a, gone) := {} if not a in gone

two(staging, production) := {
	"environments": ["staging", "production"],
	"resources": [],
	"env": {"staging": env(staging, []), "production": env(production, [])},
}

test_same_types_pass if {
	inp := two({"aws_instance.web": "aws_instance"}, {"aws_instance.web": "aws_instance", "aws_instance.api": "aws_instance"})
	count(rehearsed_types.warn) == 0 with input as inp
}

test_type_only_in_production_warns if {
	inp := two(
		{"aws_instance.web": "aws_instance"},
		{"aws_instance.web": "aws_instance", "aws_wafv2_web_acl.edge": "aws_wafv2_web_acl", "aws_wafv2_web_acl.api": "aws_wafv2_web_acl"},
	)
	rehearsed_types.warn == {{
		"msg": "staging has no aws_wafv2_web_acl, so changes to production's 2 aws_wafv2_web_acl (aws_wafv2_web_acl.api and 1 more) are not rehearsed",
		"address": "aws_wafv2_web_acl.api",
		"environments": ["staging", "production"],
		"details": {"present": ["production"], "missing": ["staging"], "resources": ["aws_wafv2_web_acl.api", "aws_wafv2_web_acl.edge"]},
	}} with input as inp
}

test_type_only_in_staging_is_fine if {
	inp := two({"aws_instance.web": "aws_instance", "aws_instance.canary": "aws_instance", "aws_sqs_queue.test": "aws_sqs_queue"}, {"aws_instance.web": "aws_instance"})
	count(rehearsed_types.warn) == 0 with input as inp
}

test_resource_the_plan_deletes_does_not_count if {
	inp := {
		"environments": ["staging", "production"],
		"resources": [],
		"env": {
			"staging": env({"aws_instance.web": "aws_instance"}, []),
			"production": env({"aws_instance.web": "aws_instance", "aws_shield_protection.old": "aws_shield_protection"}, ["aws_shield_protection.old"]),
		},
	}
	count(rehearsed_types.warn) == 0 with input as inp
}

test_only_in_declaration_exempts if {
	a := "aws_shield_protection.edge"
	inp := object.union(two({"aws_instance.web": "aws_instance"}, {"aws_instance.web": "aws_instance", a: "aws_shield_protection"}), {"resources": [{
		"address": a,
		"type": "aws_shield_protection",
		"only_in": ["production"],
		"environments": [{"env": "staging", "address": ""}, {"env": "production", "address": a}],
	}]})
	count(rehearsed_types.warn) == 0 with input as inp
}

test_each_environment_is_compared_with_the_one_before if {
	inp := {
		"environments": ["dev", "staging", "production"],
		"resources": [],
		"env": {
			"dev": env({"aws_instance.web": "aws_instance"}, []),
			"staging": env({"aws_instance.web": "aws_instance", "aws_sqs_queue.jobs": "aws_sqs_queue"}, []),
			"production": env({"aws_instance.web": "aws_instance", "aws_sqs_queue.jobs": "aws_sqs_queue", "aws_sns_topic.alerts": "aws_sns_topic"}, []),
		},
	}
	{[f.environments, f.address] | some f in rehearsed_types.warn} == {
		[["dev", "staging"], "aws_sqs_queue.jobs"],
		[["staging", "production"], "aws_sns_topic.alerts"],
	} with input as inp
}

# --- Tests on real Terraform output ------------------------------------------

# Two real Azure firewall plans: infracost's example (firewalls, virtual hub,
# no rule collections) as "staging", and tfplan2md's firewall demo (one
# firewall with a network rule collection) as "production". Production has a
# kind of resource staging never exercises.
test_real_azure_rule_collection_is_not_rehearsed if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/infracost/azure_firewall_plan.json",
		"production=../../../testdata/real/tfplan2md/firewall-rules-demo/plan2.json",
	])
	rehearsed_types.warn == {{
		"msg": "staging has no azurerm_firewall_network_rule_collection, so changes to production's azurerm_firewall_network_rule_collection.network_rules are not rehearsed",
		"address": "azurerm_firewall_network_rule_collection.network_rules",
		"environments": ["staging", "production"],
		"details": {"present": ["production"], "missing": ["staging"], "resources": ["azurerm_firewall_network_rule_collection.network_rules"]},
	}} with input as inp
}

# Three real workspaces of one configuration (vxern/logos, raw states):
# development, staging and production hold the same kinds of resources.
test_real_three_workspaces_pass if {
	inp := lockstep.input_from([
		"development=../../../testdata/real/logos-envs/development.terraform.tfstate",
		"staging=../../../testdata/real/logos-envs/staging.terraform.tfstate",
		"production=../../../testdata/real/logos-envs/production.terraform.tfstate",
	])
	count(inp.env.production.by_type) == 3
	count(rehearsed_types.warn) == 0 with input as inp
}

# Scenario d: production has terraform_data.shield[0] and staging does not,
# but staging has other terraform_data resources, so the type is rehearsed
# (the built-in missing-resource rule is what catches the instance).
test_scenario_same_type_different_instances if {
	inp := lockstep.input_from({
		"env": [
			"staging=../../../testdata/scenarios/d-declared-differences/staging.plan.json",
			"production=../../../testdata/scenarios/d-declared-differences/production.plan.json",
		],
		"config": "../../../testdata/scenarios/d-declared-differences/lockstep.hcl",
	})
	some r in inp.resources
	r.address == "terraform_data.shield[0]"
	r.only_in == ["production"]
	count(rehearsed_types.warn) == 0 with input as inp
}
