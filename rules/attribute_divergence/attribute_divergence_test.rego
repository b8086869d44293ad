package lockstep.rules.attribute_divergence_test

import data.lockstep.rules.attribute_divergence
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Resource, parity.Attribute).

addr := facts.addr

res(envs, attrs) := object.union(facts.res(envs), {"attributes": attrs})

# attr computes differs_now/differs_after from the values, as parity does
# when no value is unknown.

# stale: differs now and after, and no plan touches it.
stale(path, values) := facts.attr(path, values, values, [])

both := [facts.present("staging"), facts.present("production")]

engine := {"staging": "15.4", "production": "14.9"}

test_divergent_attribute if {
	fs := attribute_divergence.findings with input as facts.two([res(both, [stale("engine_version", engine)])])
	fs == {{
		"rule": "attribute-divergence",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "engine_version differs: staging 15.4, production 14.9",
		"details": {
			"attributes": [{"path": "engine_version", "values": engine}],
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

test_values_follow_environment_order if {
	# production first in the object, staging first in the promotion order.
	fs := attribute_divergence.findings with input as facts.two([res(both, [stale("engine_version", {"production": "14.9", "staging": "15.4"})])])
	[f] := [f | some f in fs]
	f.message == "engine_version differs: staging 15.4, production 14.9"
}

test_non_string_values_are_json if {
	fs := attribute_divergence.findings with input as facts.two([res(both, [stale("tags", {"staging": {"tier": "a"}, "production": null})])])
	[f] := [f | some f in fs]
	f.message == `tags differs: staging {"tier":"a"}, production null`

	fs2 := attribute_divergence.findings with input as facts.two([res(both, [stale("allocated_storage", {"staging": 20, "production": 100})])])
	[f2] := [f | some f in fs2]
	f2.message == "allocated_storage differs: staging 20, production 100"
}

test_several_attributes if {
	attrs := [
		stale("engine_version", engine),
		stale("instance_class", {"staging": "db.t3.small", "production": "db.t3.large"}),
	]
	fs := attribute_divergence.findings with input as facts.two([res(both, attrs)])
	[f] := [f | some f in fs]
	f.message == "engine_version differs: staging 15.4, production 14.9 (and 1 more attribute)"
	[a.path | some a in f.details.attributes] == ["engine_version", "instance_class"]

	attrs3 := array.concat(attrs, [stale("multi_az", {"staging": false, "production": true})])
	fs3 := attribute_divergence.findings with input as facts.two([res(both, attrs3)])
	[f3] := [f | some f in fs3]
	f3.message == "engine_version differs: staging 15.4, production 14.9 (and 2 more attributes)"
	count(f3.details.attributes) == 3
}

test_only_unresolved_attributes_are_reported if {
	attrs := [
		# Changed by staging's plan: one-sided-change's job.
		facts.attr("allocated_storage", {"staging": 20, "production": 100}, {"staging": 100, "production": 100}, ["staging"]),
		facts.attr("engine_version", engine, engine, ["staging"]),
		# Differs now, same after: resolved by the plans.
		object.union(stale("instance_class", {"staging": "a", "production": "b"}), {"differs_after": false}),
		stale("multi_az", {"staging": false, "production": true}),
	]
	fs := attribute_divergence.findings with input as facts.two([res([facts.updates("staging"), facts.present("production")], attrs)])
	[f] := [f | some f in fs]
	f.message == "multi_az differs: staging false, production true"
	f.details.attributes == [{"path": "multi_az", "values": {"staging": false, "production": true}}]
}

test_three_environments if {
	values := {"dev": "16.1", "staging": "15.4", "production": "15.4"}
	fs := attribute_divergence.findings with input as facts.doc(
		["dev", "staging", "production"],
		[res([facts.present("dev"), facts.present("staging"), facts.present("production")], [stale("engine_version", values)])],
	)
	[f] := [f | some f in fs]
	f.environments == ["dev", "staging", "production"]
	f.message == "engine_version differs: dev 16.1, staging 15.4, production 15.4"
	f.details.attributes == [{"path": "engine_version", "values": values}]
}

test_environments_are_those_that_have_it_now if {
	# dev does not have the resource; only staging and production differ.
	fs := attribute_divergence.findings with input as facts.doc(
		["dev", "staging", "production"],
		[res([facts.absent("dev"), facts.present("staging"), facts.present("production")], [stale("engine_version", engine)])],
	)
	[f] := [f | some f in fs]
	f.environments == ["staging", "production"]
	f.message == "engine_version differs: staging 15.4, production 14.9"
	f.details.addresses == {"staging": addr, "production": addr}
}

test_one_finding_per_resource if {
	other := object.union(res(both, [stale("acl", {"staging": "private", "production": "public-read"})]), {"address": "aws_s3_bucket.logs"})
	fs := attribute_divergence.findings with input as facts.two([res(both, [stale("engine_version", engine)]), other])
	{f.address: f.message | some f in fs} == {
		addr: "engine_version differs: staging 15.4, production 14.9",
		"aws_s3_bucket.logs": "acl differs: staging private, production public-read",
	}
}

test_silent_when_a_plan_changes_the_path if {
	a := facts.attr("engine_version", engine, {"staging": "16.1", "production": "14.9"}, ["staging"])
	count(attribute_divergence.findings) == 0 with input as facts.two([res([facts.updates("staging"), facts.present("production")], [a])])

	b := facts.attr("engine_version", engine, {"staging": "16.1", "production": "16.2"}, ["staging", "production"])
	count(attribute_divergence.findings) == 0 with input as facts.two([res([facts.updates("staging"), facts.updates("production")], [b])])
}

test_silent_when_plans_resolve_it if {
	# production's plan brings it to staging's value: differs_after is false.
	a := facts.attr("engine_version", engine, {"staging": "15.4", "production": "15.4"}, ["production"])
	a.differs_after == false
	count(attribute_divergence.findings) == 0 with input as facts.two([res([facts.present("staging"), facts.updates("production")], [a])])
}

test_silent_when_differs_after_is_false if {
	a := object.union(stale("engine_version", engine), {"differs_after": false})
	count(attribute_divergence.findings) == 0 with input as facts.two([res(both, [a])])
}

test_silent_when_only_after_differs if {
	# differs_now false: nothing has diverged yet.
	a := object.union(stale("engine_version", engine), {"differs_now": false})
	count(attribute_divergence.findings) == 0 with input as facts.two([res(both, [a])])
}

test_silent_without_attributes if {
	count(attribute_divergence.findings) == 0 with input as facts.two([res(both, [])])
	count(attribute_divergence.findings) == 0 with input as facts.two([])
}

# refset is a stale attribute that parity compared as sets of references.
refset(path, values, refs) := object.union(stale(path, values), {"references": {"now": refs, "after": refs}})

test_reference_sets_name_what_is_lacking if {
	values := {"staging": ["sg-1", "sg-2", "sg-3"], "production": ["sg-7", "sg-9"]}
	refs := {
		"staging": ["aws_security_group.db", "aws_security_group.monitoring", "aws_security_group.web"],
		"production": ["aws_security_group.db", "aws_security_group.web"],
	}
	fs := attribute_divergence.findings with input as facts.two([res(both, [refset("vpc_security_group_ids", values, refs)])])
	[f] := [f | some f in fs]
	f.message == "vpc_security_group_ids differs: production lacks the reference to aws_security_group.monitoring"
	f.details.attributes == [{"path": "vpc_security_group_ids", "values": values, "references": refs}]
}

test_reference_sets_lacking_on_both_sides if {
	values := {"staging": ["sg-1", "sg-2"], "production": ["sg-7", "sg-9"]}
	refs := {
		"staging": ["sg.a", "sg.b", "sg.monitoring"],
		"production": ["sg.a", "sg.db", "sg.x"],
	}
	fs := attribute_divergence.findings with input as facts.two([res(both, [refset("security_groups", values, refs)])])
	[f] := [f | some f in fs]
	f.message == "security_groups differs: staging lacks the references to sg.db, sg.x; production lacks the references to sg.b, sg.monitoring"
}

test_reference_sets_that_lack_nothing_show_values if {
	# The same resources, one twice: nothing is lacking, so the values speak.
	values := {"staging": ["sg-1", "sg-1"], "production": ["sg-7"]}
	refs := {"staging": ["sg.a", "sg.a"], "production": ["sg.a"]}
	fs := attribute_divergence.findings with input as facts.two([res(both, [refset("security_groups", values, refs)])])
	[f] := [f | some f in fs]
	f.message == `security_groups differs: staging ["sg-1","sg-1"], production ["sg-7"]`
}
