package lockstep.rules.version_skew_test

import data.lockstep.rules.version_skew
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Version).

ver(kind, name, values, missing, sources) := {
	"kind": kind, "name": name, "values": values,
	"missing": missing, "sources": sources, "differs": true,
}

same(v) := object.union(v, {"differs": false})

aws := "registry.terraform.io/hashicorp/aws"

lock := {"staging": "staging/.terraform.lock.hcl", "production": "production/.terraform.lock.hcl"}

plans := {"staging": "staging.plan.json", "production": "production.plan.json"}

terraform := ver("terraform", "terraform", {"staging": "1.9.5", "production": "1.8.2"}, [], plans)

two(versions) := facts.of(["staging", "production"], {"versions": versions})

only(versions) := f if {
	fs := version_skew.findings with input as two(versions)
	[f] := [f | some f in fs]
}

test_terraform_version if {
	fs := version_skew.findings with input as two([terraform])
	fs == {{
		"rule": "version-skew",
		"severity": "warning",
		"address": "",
		"environments": ["staging", "production"],
		"message": "Terraform version differs: staging 1.9.5, production 1.8.2",
		"details": {"version": {
			"kind": "terraform", "name": "terraform",
			"values": {"staging": "1.9.5", "production": "1.8.2"},
			"missing": [], "sources": plans,
		}},
	}}
}

test_provider_version if {
	f := only([ver("provider", aws, {"staging": "5.62.0", "production": "5.40.0"}, [], lock)])
	f.address == ""
	f.message == "provider registry.terraform.io/hashicorp/aws version differs: staging 5.62.0, production 5.40.0"
	f.details.version.sources == lock
}

test_provider_missing_from_a_lock_file if {
	f := only([ver("provider", aws, {"production": "5.40.0"}, ["staging"], lock)])
	f.environments == ["staging", "production"]
	f.message == "provider registry.terraform.io/hashicorp/aws version differs: staging (not in its lock file), production 5.40.0"
	f.details.version.missing == ["staging"]
	f.details.version.values == {"production": "5.40.0"}
}

test_module_source if {
	f := only([ver("module-source", "module.network", {"staging": "./modules/network-v2", "production": "./modules/network"}, [], plans)])
	f.message == "module.network source differs: staging ./modules/network-v2, production ./modules/network"
	f.details.version.kind == "module-source"
}

test_module_call_missing if {
	f := only([ver("module-source", "module.cdn", {"staging": "./modules/cdn"}, ["production"], {"staging": "staging.plan.json"})])
	f.environments == ["staging", "production"]
	f.message == "module.cdn source differs: staging ./modules/cdn, production (no such module call)"
}

test_module_version_constraint if {
	f := only([ver("module-version", "module.vpc", {"staging": "~> 5.1", "production": "~> 5.0"}, [], plans)])
	f.message == "module.vpc version constraint differs: staging ~> 5.1, production ~> 5.0"
}

test_module_version_constraint_missing if {
	f := only([ver("module-version", "module.vpc", {"staging": "~> 5.1"}, ["production"], {"staging": "staging.plan.json"})])
	f.message == "module.vpc version constraint differs: staging ~> 5.1, production (no version constraint)"
}

test_values_follow_environment_order if {
	v := ver("terraform", "terraform", {"production": "1.8.2", "staging": "1.9.5"}, [], plans)
	f := only([v])
	f.environments == ["staging", "production"]
	f.message == "Terraform version differs: staging 1.9.5, production 1.8.2"

	# A missing environment takes its place in the order too.
	f2 := only([ver("provider", aws, {"staging": "5.62.0"}, ["production"], lock)])
	f2.message == "provider registry.terraform.io/hashicorp/aws version differs: staging 5.62.0, production (not in its lock file)"
}

test_three_environments_only_those_compared if {
	# dev's input carries no lock file: it is neither a value nor missing.
	v := ver("provider", aws, {"staging": "5.62.0", "production": "5.40.0"}, [], lock)
	fs := version_skew.findings with input as facts.of(["dev", "staging", "production"], {"versions": [v]})
	[f] := [f | some f in fs]
	f.environments == ["staging", "production"]
	f.message == "provider registry.terraform.io/hashicorp/aws version differs: staging 5.62.0, production 5.40.0"

	w := ver("terraform", "terraform", {"dev": "1.10.0", "staging": "1.9.5", "production": "1.9.5"}, [], {})
	fs3 := version_skew.findings with input as facts.of(["dev", "staging", "production"], {"versions": [w]})
	[f3] := [f | some f in fs3]
	f3.environments == ["dev", "staging", "production"]
	f3.message == "Terraform version differs: dev 1.10.0, staging 1.9.5, production 1.9.5"
}

test_one_finding_per_item if {
	versions := [
		terraform,
		ver("provider", aws, {"staging": "5.62.0", "production": "5.40.0"}, [], lock),
		same(ver("provider", "registry.terraform.io/hashicorp/random", {"staging": "3.6.0", "production": "3.6.0"}, [], lock)),
	]
	fs := version_skew.findings with input as two(versions)
	{f.message | some f in fs} == {
		"Terraform version differs: staging 1.9.5, production 1.8.2",
		"provider registry.terraform.io/hashicorp/aws version differs: staging 5.62.0, production 5.40.0",
	}
	{f.address | some f in fs} == {""}
}

test_silent_when_nothing_differs if {
	count(version_skew.findings) == 0 with input as two([same(terraform)])
	count(version_skew.findings) == 0 with input as two([same(ver("module-source", "module.network", {"staging": "./envs/staging", "production": "./envs/production"}, [], plans))])
}

test_silent_without_versions if {
	count(version_skew.findings) == 0 with input as two([])
	count(version_skew.findings) == 0 with input as object.remove(two([]), ["versions"])
}

# Terraform and OpenTofu share version numbers: the tool is its own item.
test_tool_mix if {
	f := only([ver("tool", "tool", {"staging": "terraform", "production": "opentofu"}, [], {})])
	f.environments == ["staging", "production"]
	f.message == "tool (Terraform or OpenTofu) differs: staging Terraform, production OpenTofu"
	f.details.version.values == {"staging": "terraform", "production": "opentofu"}
}

test_same_tool_is_silent if {
	fs := version_skew.findings with input as two([same(ver("tool", "tool", {"staging": "opentofu", "production": "opentofu"}, [], {}))])
	fs == set()
}
