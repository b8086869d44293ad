package lockstep.version_order_test

import data.lockstep.version_order

# --- Unit tests on hand-written inputs -------------------------------------

null_provider := "registry.terraform.io/hashicorp/null"

versions(kind, name, values) := {
	"environments": ["staging", "production"],
	"versions": [{"kind": kind, "name": name, "values": values}],
}

test_production_behind_staging_is_fine if {
	count(version_order.deny) == 0 with input as versions("terraform", "terraform", {"staging": "1.9.8", "production": "1.9.5"})
	count(version_order.deny) == 0 with input as versions("terraform", "terraform", {"staging": "1.9.8", "production": "1.9.8"})
}

test_terraform_ahead_in_production if {
	version_order.deny == {{
		"msg": "production runs Terraform 1.10.0 but staging runs 1.9.8: upgrade staging first",
		"environments": ["staging", "production"],
		"details": {"version": {"kind": "terraform", "name": "terraform", "values": {"staging": "1.9.8", "production": "1.10.0"}}},
	}} with input as versions("terraform", "terraform", {"staging": "1.9.8", "production": "1.10.0"})
}

test_provider_ahead_in_production if {
	some f in version_order.deny with input as versions("provider", null_provider, {"staging": "3.2.3", "production": "3.2.4"})
	f.msg == "production locks provider registry.terraform.io/hashicorp/null 3.2.4 but staging locks 3.2.3: upgrade staging first"
}

test_prerelease_is_older_than_release if {
	count(version_order.deny) == 1 with input as versions("terraform", "terraform", {"staging": "1.10.0-rc1", "production": "1.10.0"})
}

test_module_versions_are_constraints_not_versions if {
	count(version_order.deny) == 0 with input as versions("module-version", "module.vpc", {"staging": "5.0.0", "production": "5.1.0"})
}

test_environment_missing_the_item_is_not_compared if {
	count(version_order.deny) == 0 with input as versions("provider", null_provider, {"production": "3.2.4"})
}

test_three_environments_compare_neighbours if {
	inp := {
		"environments": ["dev", "staging", "production"],
		"versions": [{"kind": "terraform", "name": "terraform", "values": {"dev": "1.9.0", "staging": "1.8.5", "production": "1.9.0"}}],
	}
	{f.environments | some f in version_order.deny} == {["staging", "production"]} with input as inp
}

# --- Tests on real Terraform output ------------------------------------------

f_version_skew := "../../../testdata/scenarios/f-version-skew"

# Scenario f: staging planned with Terraform 1.11.4 and null 3.2.4 locked,
# production with 1.5.5 and 3.2.3. Staging is ahead, as it should be; only
# the built-in version-skew warns. The four items: Terraform, the tool (both
# Terraform, from the lock files' registry.terraform.io), the provider and
# module.app's source.
test_scenario_staging_ahead_passes if {
	inp := lockstep.input_from({
		"env": [
			sprintf("staging=%s/staging.plan.json", [f_version_skew]),
			sprintf("production=%s/production.plan.json", [f_version_skew]),
		],
		"config": sprintf("%s/lockstep.hcl", [f_version_skew]),
	})
	count(inp.versions) == 4
	count(version_order.deny) == 0 with input as inp
}

# The same files the other way round: production got the new Terraform and
# the new provider first (testdata/production-upgraded-first.hcl swaps the
# lock files).
test_scenario_production_upgraded_first if {
	inp := lockstep.input_from({
		"env": [
			sprintf("staging=%s/production.plan.json", [f_version_skew]),
			sprintf("production=%s/staging.plan.json", [f_version_skew]),
		],
		"config": "testdata/production-upgraded-first.hcl",
	})
	{f.msg | some f in version_order.deny} == {
		"production runs Terraform 1.11.4 but staging runs 1.5.5: upgrade staging first",
		"production locks provider registry.terraform.io/hashicorp/null 3.2.4 but staging locks 3.2.3: upgrade staging first",
	} with input as inp
}

# A real configuration planned with Terraform 0.12.20 and again with 0.15.3
# (fugue/regula's loader fixtures): the newer one as production fails.
test_real_plans_from_two_terraform_releases if {
	inp := lockstep.input_from([
		"staging=../../../testdata/real/regula/tfplan.0.12.json",
		"production=../../../testdata/real/regula/tfplan.0.15.json",
	])
	some f in version_order.deny with input as inp
	f.msg == "production runs Terraform 0.15.3 but staging runs 0.12.20: upgrade staging first"

	reversed := lockstep.input_from([
		"staging=../../../testdata/real/regula/tfplan.0.15.json",
		"production=../../../testdata/real/regula/tfplan.0.12.json",
	])
	count(version_order.deny) == 0 with input as reversed
}
