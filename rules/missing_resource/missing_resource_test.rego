package lockstep.rules.missing_resource_test

import data.lockstep.rules.missing_resource
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Resource, parity.EnvState).

addr := facts.addr

# present: in the state, plan is a no-op.

# absent: neither in the state nor in the plan.

only_in(envs, declared) := object.union(facts.res(envs), {"only_in": declared})

test_missing_from_production if {
	fs := missing_resource.findings with input as facts.two([facts.res([facts.present("staging"), facts.absent("production")])])
	fs == {{
		"rule": "missing-resource",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "exists in staging but not in production",
		"details": {
			"present": ["staging"],
			"missing": ["production"],
			"addresses": {"staging": addr},
		},
	}}
}

test_missing_from_staging if {
	fs := missing_resource.findings with input as facts.two([facts.res([facts.absent("staging"), facts.present("production")])])
	[f] := [f | some f in fs]
	f.message == "exists in production but not in staging"
	f.environments == ["staging", "production"]
	f.details.present == ["production"]
	f.details.missing == ["staging"]
}

test_three_environments if {
	fs := missing_resource.findings with input as facts.three([facts.res([facts.present("dev"), facts.present("staging"), facts.absent("production")])])
	[f] := [f | some f in fs]
	f.rule == "missing-resource"
	f.environments == ["dev", "staging", "production"]
	f.message == "exists in dev, staging but not in production"
	f.details.present == ["dev", "staging"]
	f.details.missing == ["production"]
}

test_three_environments_missing_in_two if {
	fs := missing_resource.findings with input as facts.three([facts.res([facts.absent("dev"), facts.present("staging"), facts.absent("production")])])
	[f] := [f | some f in fs]
	f.message == "exists in staging but not in dev, production"
}

test_addresses_per_environment if {
	r := facts.res([
		object.union(facts.present("staging"), {"address": "module.staging.aws_db_instance.main"}),
		facts.absent("production"),
	])
	fs := missing_resource.findings with input as facts.two([object.union(r, {"address": "module.staging.aws_db_instance.main"})])
	[f] := [f | some f in fs]
	f.address == "module.staging.aws_db_instance.main"
	f.details.addresses == {"staging": "module.staging.aws_db_instance.main"}
}

test_one_finding_per_missing_resource if {
	other := object.union(facts.res([facts.absent("staging"), facts.present("production")]), {"address": "aws_s3_bucket.logs"})
	fine := object.union(facts.res([facts.present("staging"), facts.present("production")]), {"address": "aws_iam_role.ci"})
	fs := missing_resource.findings with input as facts.two([facts.res([facts.present("staging"), facts.absent("production")]), other, fine])
	{f.address | some f in fs} == {addr, "aws_s3_bucket.logs"}
	count(fs) == 2
}

test_silent_when_all_environments_have_it if {
	count(missing_resource.findings) == 0 with input as facts.two([facts.res([facts.present("staging"), facts.present("production")])])
	count(missing_resource.findings) == 0 with input as facts.three([facts.res([facts.present("dev"), facts.present("staging"), facts.present("production")])])
}

test_silent_when_no_environment_has_it_now if {
	# Only planned: creation is one-sided-change's job.
	count(missing_resource.findings) == 0 with input as facts.two([facts.res([facts.absent("staging"), facts.creates("production")])])
}

test_silent_when_a_plan_creates_it if {
	count(missing_resource.findings) == 0 with input as facts.two([facts.res([facts.present("staging"), facts.creates("production")])])
	count(missing_resource.findings) == 0 with input as facts.three([facts.res([facts.present("dev"), facts.present("staging"), facts.creates("production")])])
}

test_silent_when_a_plan_deletes_it if {
	count(missing_resource.findings) == 0 with input as facts.two([facts.res([facts.deletes("staging"), facts.absent("production")])])
}

test_silent_when_only_in_covers_it if {
	count(missing_resource.findings) == 0 with input as facts.two([only_in([facts.absent("staging"), facts.present("production")], ["production"])])
	count(missing_resource.findings) == 0 with input as facts.three([only_in([facts.present("dev"), facts.present("staging"), facts.absent("production")], ["dev", "staging"])])
}

test_only_in_for_another_environment_does_not_hide_it if {
	# Declared production-only, but it is staging that has it.
	fs := missing_resource.findings with input as facts.two([only_in([facts.present("staging"), facts.absent("production")], ["production"])])
	[f] := [f | some f in fs]
	f.message == "exists in staging but not in production"

	# Declared staging-only, yet dev has it too.
	fs3 := missing_resource.findings with input as facts.three([only_in([facts.present("dev"), facts.present("staging"), facts.absent("production")], ["staging"])])
	count(fs3) == 1
}

test_several_only_in_blocks_expect_it_in_each if {
	# only_in "staging" and only_in "production": it belongs to both, so
	# missing from production is a finding, and dev's absence is intended.
	fs := missing_resource.findings with input as facts.three([only_in([facts.absent("dev"), facts.present("staging"), facts.absent("production")], ["staging", "production"])])
	[f] := [f | some f in fs]
	f.message == "exists in staging but not in production"
	f.details.missing == ["production"]

	# In both: silent.
	count(missing_resource.findings) == 0 with input as facts.three([only_in([facts.absent("dev"), facts.present("staging"), facts.present("production")], ["staging", "production"])])
}

test_silent_without_resources if {
	count(missing_resource.findings) == 0 with input as facts.two([])
}
