package lockstep.rules.shared_secret_test

import data.lockstep.rules.shared_secret
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Resource, parity.SharedSecret).

addr := facts.addr

res(envs, secrets) := object.union(facts.res(envs), {"shared_secrets": secrets})

secret(path, envs) := {"path": path, "environments": envs}

both := [facts.present("staging"), facts.present("production")]

all_three := [facts.present("dev"), facts.present("staging"), facts.present("production")]

test_two_environments if {
	fs := shared_secret.findings with input as facts.two([res(both, [secret("password", ["staging", "production"])])])
	fs == {{
		"rule": "shared-secret",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "staging and production use the same sensitive value at password",
		"details": {
			"attributes": [{"path": "password", "values": {"staging": "(sensitive)", "production": "(sensitive)"}}],
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

# The text comes from data (policy.BuiltinData), not from the rule.
test_sensitive_text_from_data if {
	fs := shared_secret.findings with input as facts.two([res(both, [secret("password", ["staging", "production"])])])
		with data.lockstep.constants.sensitive_text as "(hidden)"
	[f] := [f | some f in fs]
	f.details.attributes == [{"path": "password", "values": {"staging": "(hidden)", "production": "(hidden)"}}]
}

test_three_environments if {
	fs := shared_secret.findings with input as facts.three([res(all_three, [secret("password", ["dev", "staging", "production"])])])
	[f] := [f | some f in fs]
	f.environments == ["dev", "staging", "production"]
	f.message == "dev, staging and production use the same sensitive value at password"
	f.details.attributes == [{"path": "password", "values": {"dev": "(sensitive)", "staging": "(sensitive)", "production": "(sensitive)"}}]
}

test_two_of_three_environments if {
	fs := shared_secret.findings with input as facts.three([res(all_three, [secret("password", ["dev", "production"])])])
	[f] := [f | some f in fs]
	f.environments == ["dev", "production"]
	f.message == "dev and production use the same sensitive value at password"
}

test_several_paths if {
	secrets := [
		secret("master_password", ["staging", "production"]),
		secret("parameters.api_key", ["staging", "production"]),
	]
	fs := shared_secret.findings with input as facts.two([res(both, secrets)])
	[f] := [f | some f in fs]
	f.message == "staging and production use the same sensitive value at master_password (and 1 more attribute)"
	[a.path | some a in f.details.attributes] == ["master_password", "parameters.api_key"]

	secrets3 := array.concat(secrets, [secret("tags.token", ["staging", "production"])])
	fs3 := shared_secret.findings with input as facts.two([res(both, secrets3)])
	[f3] := [f | some f in fs3]
	f3.message == "staging and production use the same sensitive value at master_password (and 2 more attributes)"
	count(f3.details.attributes) == 3
}

test_environments_are_the_union_in_environment_order if {
	secrets := [
		secret("master_password", ["staging", "production"]),
		secret("replica_password", ["dev", "staging"]),
	]
	fs := shared_secret.findings with input as facts.three([res(all_three, secrets)])
	[f] := [f | some f in fs]
	f.environments == ["dev", "staging", "production"]
	f.message == "staging and production use the same sensitive value at master_password (and 1 more attribute)"
	f.details.attributes == [
		{"path": "master_password", "values": {"staging": "(sensitive)", "production": "(sensitive)"}},
		{"path": "replica_password", "values": {"dev": "(sensitive)", "staging": "(sensitive)"}},
	]
}

test_values_are_always_redacted if {
	secrets := [secret("password", ["dev", "staging", "production"]), secret("token", ["dev", "staging"])]
	fs := shared_secret.findings with input as facts.three([res(all_three, secrets)])
	[f] := [f | some f in fs]
	{v | some a in f.details.attributes; some v in a.values} == {"(sensitive)"}
}

test_addresses_per_environment if {
	envs := [
		object.union(facts.present("staging"), {"address": "module.staging.aws_db_instance.main"}),
		object.union(facts.present("production"), {"address": "module.production.aws_db_instance.main"}),
	]
	fs := shared_secret.findings with input as facts.two([res(envs, [secret("password", ["staging", "production"])])])
	[f] := [f | some f in fs]
	f.address == addr
	f.details.addresses == {"staging": "module.staging.aws_db_instance.main", "production": "module.production.aws_db_instance.main"}
}

test_one_finding_per_resource if {
	other := object.union(res(both, [secret("auth_token", ["staging", "production"])]), {"address": "aws_elasticache_replication_group.cache"})
	fs := shared_secret.findings with input as facts.two([res(both, [secret("password", ["staging", "production"])]), other])
	{f.address: f.message | some f in fs} == {
		addr: "staging and production use the same sensitive value at password",
		"aws_elasticache_replication_group.cache": "staging and production use the same sensitive value at auth_token",
	}
}

test_silent_without_shared_secrets if {
	count(shared_secret.findings) == 0 with input as facts.two([res(both, [])])
	count(shared_secret.findings) == 0 with input as facts.two([])
	count(shared_secret.findings) == 0 with input as facts.two([object.remove(res(both, []), ["shared_secrets"])])
}
