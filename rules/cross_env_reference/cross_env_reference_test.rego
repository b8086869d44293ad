package lockstep.rules.cross_env_reference_test

import data.lockstep.rules.cross_env_reference
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Resource, parity.EnvState,
# parity.Reference).

addr := "aws_instance.web"

present(e) := {"env": e, "address": addr, "now": true, "after": true, "actions": ["no-op"], "action": "no-op"}

res(envs, refs) := {
	"address": addr, "canonical": addr, "type": "aws_instance",
	"only_in": [], "environments": envs, "attributes": [],
	"references": refs, "shared_secrets": [],
}

# ref is one parity.Reference: env's value at path is the owner's identifier.
ref(env, path, value, planned, owner_env, owner_addr, owner_attr) := {
	"env": env, "address": addr, "path": path, "value": value, "planned": planned,
	"owner": {"env": owner_env, "address": owner_addr, "attribute": owner_attr},
}

# current: the value is already in env's state; planned: only its plan sets it.
current(env, path, value, owner_env) := ref(env, path, value, false, owner_env, "aws_subnet.main", "id")

planned(env, path, value, owner_env) := ref(env, path, value, true, owner_env, "aws_subnet.main", "id")

# detail is what a finding's details.references holds for a reference.
detail(x) := {"env": x.env, "path": x.path, "value": x.value, "planned": x.planned, "owner": x.owner}

both := [present("staging"), present("production")]

all_three := [present("dev"), present("staging"), present("production")]

subnet := "subnet-0staging1234"

test_current_reference if {
	r := current("production", "subnet_id", subnet, "staging")
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	fs == {{
		"rule": "cross-env-reference",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": `production's subnet_id is "subnet-0staging1234", the id of staging's aws_subnet.main`,
		"details": {
			"references": [{
				"env": "production", "path": "subnet_id", "value": subnet, "planned": false,
				"owner": {"env": "staging", "address": "aws_subnet.main", "attribute": "id"},
			}],
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

test_planned_reference if {
	r := ref("production", "vpc_security_group_ids.0", "sg-0staging99", true, "staging", "aws_security_group.web", "id")
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	[f] := [f | some f in fs]
	f.message == `production's plan sets vpc_security_group_ids.0 to "sg-0staging99", the id of staging's aws_security_group.web`
	f.details.references == [detail(r)]
	f.details.references[0].planned == true
}

test_owner_attribute_is_named if {
	r := ref("staging", "role_arn", "arn:aws:iam::1:role/prod-deploy", false, "production", "aws_iam_role.deploy", "arn")
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	[f] := [f | some f in fs]
	f.message == `staging's role_arn is "arn:aws:iam::1:role/prod-deploy", the arn of production's aws_iam_role.deploy`
}

test_environments_follow_environment_order if {
	# The referencing environment (production) comes after the owner in the
	# promotion order; so does the other way round.
	fs := cross_env_reference.findings with input as facts.two([res(both, [current("production", "subnet_id", subnet, "staging")])])
	[f] := [f | some f in fs]
	f.environments == ["staging", "production"]

	fs2 := cross_env_reference.findings with input as facts.two([res(both, [current("staging", "subnet_id", "subnet-0prod5678", "production")])])
	[f2] := [f | some f in fs2]
	f2.environments == ["staging", "production"]
}

test_several_references if {
	refs := [
		current("production", "subnet_id", subnet, "staging"),
		planned("production", "tags.Network", "net-staging-01", "staging"),
	]
	fs := cross_env_reference.findings with input as facts.two([res(both, refs)])
	[f] := [f | some f in fs]
	f.message == `production's subnet_id is "subnet-0staging1234", the id of staging's aws_subnet.main (and 1 more attribute)`
	f.details.references == [detail(r) | some r in refs]

	refs3 := array.concat(refs, [current("production", "user_data_ref", "ud-staging-7", "staging")])
	fs3 := cross_env_reference.findings with input as facts.two([res(both, refs3)])
	[f3] := [f | some f in fs3]
	f3.message == `production's subnet_id is "subnet-0staging1234", the id of staging's aws_subnet.main (and 2 more attributes)`
	count(f3.details.references) == 3
}

test_one_finding_per_referencing_environment if {
	refs := [
		current("staging", "peer_subnet_id", "subnet-0prod5678", "production"),
		current("production", "subnet_id", subnet, "staging"),
	]
	fs := cross_env_reference.findings with input as facts.two([res(both, refs)])
	{f.message: [f.environments, f.details.references] | some f in fs} == {
		`staging's peer_subnet_id is "subnet-0prod5678", the id of production's aws_subnet.main`: [
			["staging", "production"],
			[detail(refs[0])],
		],
		`production's subnet_id is "subnet-0staging1234", the id of staging's aws_subnet.main`: [
			["staging", "production"],
			[detail(refs[1])],
		],
	}
}

test_three_environments if {
	# production's value identifies objects of both dev and staging.
	refs := [
		ref("production", "subnet_id", "subnet-0shared-nonprod", false, "dev", "aws_subnet.main", "id"),
		ref("production", "subnet_id", "subnet-0shared-nonprod", false, "staging", "aws_subnet.main", "id"),
	]
	fs := cross_env_reference.findings with input as facts.three([res(all_three, refs)])
	[f] := [f | some f in fs]
	f.environments == ["dev", "staging", "production"]
	f.message == `production's subnet_id is "subnet-0shared-nonprod", the id of dev's aws_subnet.main`
	f.details.addresses == {"dev": addr, "staging": addr, "production": addr}
}

test_three_environments_only_involved_ones if {
	# dev neither references nor owns: it is left out.
	fs := cross_env_reference.findings with input as facts.three([res(all_three, [current("production", "subnet_id", subnet, "staging")])])
	[f] := [f | some f in fs]
	f.environments == ["staging", "production"]
	f.details.addresses == {"dev": addr, "staging": addr, "production": addr}
}

test_addresses_per_environment if {
	envs := [
		object.union(present("staging"), {"address": "module.staging.aws_instance.web"}),
		object.union(present("production"), {"address": "module.production.aws_instance.web"}),
	]
	fs := cross_env_reference.findings with input as facts.two([res(envs, [current("production", "subnet_id", subnet, "staging")])])
	[f] := [f | some f in fs]
	f.address == addr
	f.details.addresses == {"staging": "module.staging.aws_instance.web", "production": "module.production.aws_instance.web"}
}

test_one_finding_per_resource if {
	other := object.union(res(both, [current("production", "subnet_id", subnet, "staging")]), {"address": "aws_instance.api"})
	fs := cross_env_reference.findings with input as facts.two([res(both, [current("production", "subnet_id", subnet, "staging")]), other])
	{f.address | some f in fs} == {addr, "aws_instance.api"}
}

test_silent_without_references if {
	count(cross_env_reference.findings) == 0 with input as facts.two([res(both, [])])
	count(cross_env_reference.findings) == 0 with input as facts.two([])
	count(cross_env_reference.findings) == 0 with input as facts.two([object.remove(res(both, []), ["references"])])
}

# token is a parity.Reference for a value that names another environment.
token(env, path, value, planned, owner_env, tok) := {
	"env": env, "address": addr, "path": path, "value": value, "planned": planned,
	"owner": {"env": owner_env, "address": "", "attribute": ""}, "token": tok,
}

test_environment_name_in_a_value if {
	r := token("production", "queue_url", "https://sqs/orders-staging", false, "staging", "staging")
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	[f] := [f | some f in fs]
	f.message == `production's queue_url "https://sqs/orders-staging" names staging (token "staging")`
	f.environments == ["staging", "production"]
	f.details.references == [{
		"env": "production", "path": "queue_url", "value": "https://sqs/orders-staging", "planned": false,
		"owner": {"env": "staging", "address": "", "attribute": ""}, "token": "staging",
	}]
}

test_environment_name_planned_and_alias if {
	r := token("production", "tags.Upstream", "payments-stg.internal", true, "staging", "stg")
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	[f] := [f | some f in fs]
	f.message == `production's plan sets tags.Upstream to "payments-stg.internal", which names staging (token "stg")`
}

test_environment_name_in_a_secret_is_not_shown if {
	r := token("production", "api_token", "(sensitive)", false, "staging", "staging")
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	[f] := [f | some f in fs]
	f.message == `production's api_token (sensitive) names staging (token "staging")`
	f.details.references[0].value == "(sensitive)"
}

test_embedded_identifier if {
	r := object.union(current("production", "endpoint", "subnet-0staging1234", "staging"), {"embedded": true})
	fs := cross_env_reference.findings with input as facts.two([res(both, [r])])
	[f] := [f | some f in fs]
	f.message == `production's endpoint embeds "subnet-0staging1234", the id of staging's aws_subnet.main`
	f.details.references[0].embedded == true

	p := object.union(planned("production", "endpoint", "subnet-0staging1234", "staging"), {"embedded": true})
	[g] := [g | some g in cross_env_reference.findings with input as facts.two([res(both, [p])])]
	g.message == `production's plan sets endpoint to a value embedding "subnet-0staging1234", the id of staging's aws_subnet.main`
}

test_identifier_details_keep_their_shape if {
	# embedded false and token "" (as omitempty would leave them out) add
	# nothing to the details.
	r := object.union(current("production", "subnet_id", subnet, "staging"), {"embedded": false, "token": ""})
	[f] := [f | some f in cross_env_reference.findings with input as facts.two([res(both, [r])])]
	f.details.references == [detail(current("production", "subnet_id", subnet, "staging"))]
	f.message == `production's subnet_id is "subnet-0staging1234", the id of staging's aws_subnet.main`
}
