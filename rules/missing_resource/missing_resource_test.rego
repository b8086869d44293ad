package lockstep.rules.missing_resource_test

import data.lockstep.rules.missing_resource

# Helpers that build the facts JSON (parity.Resource, parity.EnvState).

addr := "aws_db_instance.main"

state(e, now, after, actions, action) := {
	"env": e, "address": addr,
	"now": now, "after": after,
	"actions": actions, "action": action,
}

# present: in the state, plan is a no-op.
present(e) := state(e, true, true, ["no-op"], "no-op")

# absent: neither in the state nor in the plan.
absent(e) := {"env": e, "address": "", "now": false, "after": false, "actions": [], "action": ""}

creates(e) := state(e, false, true, ["create"], "create")

deletes(e) := state(e, true, false, ["delete"], "delete")

res(envs) := {
	"address": addr, "canonical": addr, "type": "aws_db_instance",
	"only_in": [], "environments": envs, "attributes": [],
}

only_in(envs, declared) := object.union(res(envs), {"only_in": declared})

doc(names, resources) := {
	"version": 1, "environments": names,
	"target": "", "previous": "", "resources": resources,
}

two(resources) := doc(["staging", "production"], resources)

three(resources) := doc(["dev", "staging", "production"], resources)

test_missing_from_production if {
	fs := missing_resource.findings with input as two([res([present("staging"), absent("production")])])
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
	fs := missing_resource.findings with input as two([res([absent("staging"), present("production")])])
	[f] := [f | some f in fs]
	f.message == "exists in production but not in staging"
	f.environments == ["staging", "production"]
	f.details.present == ["production"]
	f.details.missing == ["staging"]
}

test_three_environments if {
	fs := missing_resource.findings with input as three([res([present("dev"), present("staging"), absent("production")])])
	[f] := [f | some f in fs]
	f.rule == "missing-resource"
	f.environments == ["dev", "staging", "production"]
	f.message == "exists in dev, staging but not in production"
	f.details.present == ["dev", "staging"]
	f.details.missing == ["production"]
}

test_three_environments_missing_in_two if {
	fs := missing_resource.findings with input as three([res([absent("dev"), present("staging"), absent("production")])])
	[f] := [f | some f in fs]
	f.message == "exists in staging but not in dev, production"
}

test_addresses_per_environment if {
	r := res([
		object.union(present("staging"), {"address": "module.staging.aws_db_instance.main"}),
		absent("production"),
	])
	fs := missing_resource.findings with input as two([object.union(r, {"address": "module.staging.aws_db_instance.main"})])
	[f] := [f | some f in fs]
	f.address == "module.staging.aws_db_instance.main"
	f.details.addresses == {"staging": "module.staging.aws_db_instance.main"}
}

test_one_finding_per_missing_resource if {
	other := object.union(res([absent("staging"), present("production")]), {"address": "aws_s3_bucket.logs"})
	fine := object.union(res([present("staging"), present("production")]), {"address": "aws_iam_role.ci"})
	fs := missing_resource.findings with input as two([res([present("staging"), absent("production")]), other, fine])
	{f.address | some f in fs} == {addr, "aws_s3_bucket.logs"}
	count(fs) == 2
}

test_silent_when_all_environments_have_it if {
	count(missing_resource.findings) == 0 with input as two([res([present("staging"), present("production")])])
	count(missing_resource.findings) == 0 with input as three([res([present("dev"), present("staging"), present("production")])])
}

test_silent_when_no_environment_has_it_now if {
	# Only planned: creation is one-sided-change's job.
	count(missing_resource.findings) == 0 with input as two([res([absent("staging"), creates("production")])])
}

test_silent_when_a_plan_creates_it if {
	count(missing_resource.findings) == 0 with input as two([res([present("staging"), creates("production")])])
	count(missing_resource.findings) == 0 with input as three([res([present("dev"), present("staging"), creates("production")])])
}

test_silent_when_a_plan_deletes_it if {
	count(missing_resource.findings) == 0 with input as two([res([deletes("staging"), absent("production")])])
}

test_silent_when_only_in_covers_it if {
	count(missing_resource.findings) == 0 with input as two([only_in([absent("staging"), present("production")], ["production"])])
	count(missing_resource.findings) == 0 with input as three([only_in([present("dev"), present("staging"), absent("production")], ["dev", "staging"])])
}

test_only_in_for_another_environment_does_not_hide_it if {
	# Declared production-only, but it is staging that has it.
	fs := missing_resource.findings with input as two([only_in([present("staging"), absent("production")], ["production"])])
	[f] := [f | some f in fs]
	f.message == "exists in staging but not in production"

	# Declared staging-only, yet dev has it too.
	fs3 := missing_resource.findings with input as three([only_in([present("dev"), present("staging"), absent("production")], ["staging"])])
	count(fs3) == 1
}

test_silent_without_resources if {
	count(missing_resource.findings) == 0 with input as two([])
}
