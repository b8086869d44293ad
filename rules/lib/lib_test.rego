package lockstep.lib_test

import data.lockstep.lib

# A resource in three environments: dev has no plan entry at all, staging is
# created by its plan, production is deleted by its plan.
resource := {
	"address": "aws_s3_bucket.logs",
	"canonical": "aws_s3_bucket.logs",
	"type": "aws_s3_bucket",
	"only_in": [],
	"environments": [
		{"env": "dev", "address": "", "now": false, "after": false, "actions": [], "action": ""},
		{"env": "staging", "address": "module.staging.aws_s3_bucket.logs", "now": false, "after": true, "actions": ["create"], "action": "create"},
		{"env": "production", "address": "module.production.aws_s3_bucket.logs", "now": true, "after": false, "actions": ["delete"], "action": "delete"},
	],
	"attributes": [],
}

with_only_in(envs) := object.union(resource, {"only_in": envs})

test_meta_returns_package_annotations if {
	chain := [
		{"path": ["data", "lockstep", "rules", "x", "findings"], "annotations": {"scope": "rule", "title": "rule-level"}},
		{"path": ["data", "lockstep", "rules", "some_rule"], "annotations": {"scope": "package", "title": "pkg", "custom": {"severity": "warning"}}},
	]
	lib.meta(chain) == {"id": "some-rule", "scope": "package", "title": "pkg", "custom": {"severity": "warning"}}
}

test_meta_undefined_without_package_annotations if {
	not lib.meta([{"path": ["data", "x"], "annotations": {"scope": "rule", "title": "r"}}])
	not lib.meta([])
}

test_finding_shape if {
	m := {"id": "some-rule", "scope": "package", "custom": {"severity": "warning", "remediation": "fix it"}}
	lib.finding(m, "a.b", ["staging", "production"], "msg", {"k": 1}) == {
		"rule": "some-rule",
		"severity": "warning",
		"address": "a.b",
		"environments": ["staging", "production"],
		"message": "msg",
		"details": {"k": 1},
	}
}

test_fmt if {
	lib.fmt("15.4") == "15.4"
	lib.fmt("") == ""
	lib.fmt(3) == "3"
	lib.fmt(1.5) == "1.5"
	lib.fmt(true) == "true"
	lib.fmt(null) == "null"
	lib.fmt(["a", 1]) == `["a",1]`
	lib.fmt({"k": "v"}) == `{"k":"v"}`
}

test_env_values_in_environment_order if {
	# Object key order must not matter, only the environment list's.
	lib.env_values(["staging", "production"], {"production": "14.9", "staging": "15.4"}) == "staging 15.4, production 14.9"
	lib.env_values(["dev", "staging", "production"], {"production": 2, "dev": null, "staging": "x"}) == "dev null, staging x, production 2"
}

test_env_values_skips_environments_without_a_value if {
	lib.env_values(["dev", "staging", "production"], {"production": "a", "staging": "b"}) == "staging b, production a"
	lib.env_values(["staging"], {"production": "a", "staging": "b"}) == "staging b"
	lib.env_values(["staging"], {}) == ""
}

test_and_more if {
	lib.and_more([]) == ""
	lib.and_more(["a"]) == ""
	lib.and_more(["a", "b"]) == " (and 1 more attribute)"
	lib.and_more(["a", "b", "c"]) == " (and 2 more attributes)"
	lib.and_more(["a", "b", "c", "d", "e"]) == " (and 4 more attributes)"
}

test_and_more_of if {
	lib.and_more_of(["a", "b"], {}, "attributes_omitted") == " (and 1 more attribute)"
	lib.and_more_of(["a", "b"], {"attributes_omitted": 0}, "attributes_omitted") == " (and 1 more attribute)"
	lib.and_more_of(["a"], {"attributes_omitted": 5}, "attributes_omitted") == " (5 more differing paths not listed)"
	lib.and_more_of(["a", "b"], {"attributes_omitted": 5}, "attributes_omitted") == " (and 1 more attribute; 5 more differing paths not listed)"
	lib.and_more_of(["a", "b", "c"], {"attributes_omitted": 999900}, "attributes_omitted") == " (and 2 more attributes; 999900 more differing paths not listed)"
	lib.and_more_of(["a", "b"], {"paths_omitted": 3}, "attributes_omitted") == " (and 1 more attribute)"
}

test_envs_where_and_without if {
	lib.envs_where(resource, "now") == ["production"]
	lib.envs_where(resource, "after") == ["staging"]
	lib.envs_without(resource, "now") == ["dev", "staging"]
	lib.envs_without(resource, "after") == ["dev", "production"]
}

test_only_in_covers if {
	lib.only_in_covers(with_only_in(["staging"]), ["staging"])
	lib.only_in_covers(with_only_in(["staging", "production"]), ["production", "staging"])
	lib.only_in_covers(with_only_in(["staging", "production"]), ["staging"])
}

test_only_in_does_not_cover if {
	# No only_in declaration never covers anything, not even no environments.
	not lib.only_in_covers(resource, ["staging"])
	not lib.only_in_covers(resource, [])
	not lib.only_in_covers(with_only_in(["production"]), ["staging"])
	not lib.only_in_covers(with_only_in(["production"]), ["staging", "production"])
}

test_absent_by_design if {
	# Declared production-only and only production has it: staging lacks it by design.
	lib.absent_by_design(with_only_in(["production"]), ["production"], "staging")

	# Several only_in blocks name every environment it belongs to.
	lib.absent_by_design(with_only_in(["staging", "production"]), ["staging"], "dev")
	not lib.absent_by_design(with_only_in(["staging", "production"]), ["staging"], "production")

	# An environment outside only_in has it: nothing is by design.
	not lib.absent_by_design(with_only_in(["production"]), ["staging"], "dev")

	# No only_in: no absence is by design.
	not lib.absent_by_design(resource, ["staging"], "production")
}

test_addresses_skips_environments_without_the_resource if {
	lib.addresses(resource) == {
		"staging": "module.staging.aws_s3_bucket.logs",
		"production": "module.production.aws_s3_bucket.logs",
	}
}

test_verbs if {
	lib.verbs.create == "creates"
	lib.verbs.update == "updates"
	lib.verbs.delete == "deletes"
	lib.verbs.replace == "replaces"
	lib.verbs.forget == "forgets"
	object.keys(lib.verbs) == {"create", "update", "delete", "replace", "forget"}
}

test_possessive if {
	lib.possessive(["staging"]) == "staging's"
	lib.possessive(["staging", "production"]) == "staging's and production's"
	lib.possessive(["dev", "staging", "production"]) == "dev's and staging's and production's"
	lib.possessive([]) == ""
}
