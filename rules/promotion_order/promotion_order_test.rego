package lockstep.rules.promotion_order_test

import data.lockstep.rules.promotion_order
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Resource, parity.EnvState,
# parity.Promotion).

addr := facts.addr

forgets(e) := facts.state(e, true, false, ["forget"], "forget")

# Create before destroy: the order lifecycle.create_before_destroy plans.
replaces(e) := facts.state(e, true, true, ["create", "delete"], "replace")

# promoted adds the promotion facts parity computes for the target.
promoted(envs, previous, previous_has, action, paths) := object.union(facts.res(envs), {"promotion": {
	"previous": previous,
	"previous_has": previous_has,
	"action": action,
	"paths": paths,
}})

path(p, target, previous) := {"path": p, "target": target, "previous": previous}

# to_production: --target production, previous staging.
to_production(resources) := facts.of(["staging", "production"], {"target": "production", "previous": "staging", "resources": resources})

# to_staging: three environments, --target staging, previous dev.
to_staging(resources) := facts.of(["dev", "staging", "production"], {"target": "staging", "previous": "dev", "resources": resources})

test_target_creates_what_previous_lacks if {
	r := promoted([facts.absent("staging"), facts.creates("production")], "staging", false, "create", [])
	fs := promotion_order.findings with input as to_production([r])
	fs == {{
		"rule": "promotion-order",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "production's plan creates it, but staging does not have it yet",
		"details": {
			"actions": {"production": ["create"]},
			"missing": ["staging"],
			"addresses": {"production": addr},
		},
	}}
}

test_target_updates_or_replaces_what_previous_lacks if {
	u := promoted([facts.absent("staging"), facts.updates("production")], "staging", false, "update", [])
	fs := promotion_order.findings with input as to_production([u])
	[f] := [f | some f in fs]
	f.message == "production's plan updates it, but staging does not have it yet"

	r := promoted([facts.absent("staging"), replaces("production")], "staging", false, "replace", [])
	fs2 := promotion_order.findings with input as to_production([r])
	[f2] := [f | some f in fs2]
	f2.message == "production's plan replaces it, but staging does not have it yet"
	f2.details.actions == {"production": ["create", "delete"]}
}

test_target_updates_a_path_previous_does_not_have if {
	r := promoted([facts.present("staging"), facts.updates("production")], "staging", true, "update", [path("engine_version", "16.1", "15.4")])
	fs := promotion_order.findings with input as to_production([r])
	fs == {{
		"rule": "promotion-order",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "production's plan sets engine_version to 16.1, but staging has 15.4: apply it to staging first",
		"details": {
			"attributes": [{
				"path": "engine_version",
				"values": {"production": "16.1"},
				"before": {"staging": "15.4"},
			}],
			"actions": {"production": ["update"]},
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

test_several_paths_and_non_string_values if {
	paths := [
		path("allocated_storage", 100, 20),
		path("multi_az", true, false),
		path("tags", {"tier": "gold"}, null),
	]
	r := promoted([facts.present("staging"), facts.updates("production")], "staging", true, "update", paths)
	fs := promotion_order.findings with input as to_production([r])
	[f] := [f | some f in fs]
	f.message == "production's plan sets allocated_storage to 100, but staging has 20 (and 2 more attributes): apply it to staging first"
	f.details.attributes == [
		{"path": "allocated_storage", "values": {"production": 100}, "before": {"staging": 20}},
		{"path": "multi_az", "values": {"production": true}, "before": {"staging": false}},
		{"path": "tags", "values": {"production": {"tier": "gold"}}, "before": {"staging": null}},
	]
}

test_target_creates_with_values_previous_does_not_have if {
	# previous has the resource, but with other values than the target creates.
	r := promoted([facts.present("staging"), facts.creates("production")], "staging", true, "create", [path("engine_version", "16.1", "15.4"), path("port", 5433, 5432)])
	fs := promotion_order.findings with input as to_production([r])
	[f] := [f | some f in fs]
	f.message == "production's plan sets engine_version to 16.1, but staging has 15.4 (and 1 more attribute): apply it to staging first"
	f.details.actions == {"production": ["create"]}
}

test_target_deletes_what_previous_still_has if {
	r := promoted([facts.present("staging"), facts.deletes("production")], "staging", true, "delete", [])
	fs := promotion_order.findings with input as to_production([r])
	fs == {{
		"rule": "promotion-order",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "production's plan deletes it, but staging still has it",
		"details": {
			"actions": {"production": ["delete"]},
			"present": ["staging"],
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

test_target_forgets_what_previous_still_has if {
	r := promoted([facts.present("staging"), forgets("production")], "staging", true, "forget", [])
	fs := promotion_order.findings with input as to_production([r])
	[f] := [f | some f in fs]
	f.message == "production's plan forgets it, but staging still has it"
}

test_three_environments if {
	created := object.union(
		promoted([facts.absent("dev"), facts.creates("staging"), facts.absent("production")], "dev", false, "create", []),
		{"address": "aws_s3_bucket.logs"},
	)
	updated := promoted([facts.present("dev"), facts.updates("staging"), facts.present("production")], "dev", true, "update", [path("engine_version", "16.1", "16.0")])
	fs := promotion_order.findings with input as to_staging([created, updated])
	{f.address: f.message | some f in fs} == {
		"aws_s3_bucket.logs": "staging's plan creates it, but dev does not have it yet",
		addr: "staging's plan sets engine_version to 16.1, but dev has 16.0: apply it to dev first",
	}
	every f in fs {
		f.environments == ["dev", "staging"]
	}
}

test_silent_when_previous_already_has_the_values if {
	r := promoted([facts.present("staging"), facts.updates("production")], "staging", true, "update", [])
	count(promotion_order.findings) == 0 with input as to_production([r])

	c := promoted([facts.present("staging"), facts.creates("production")], "staging", true, "create", [])
	count(promotion_order.findings) == 0 with input as to_production([c])
}

test_silent_when_previous_also_lacks_a_deleted_resource if {
	r := promoted([facts.absent("staging"), facts.deletes("production")], "staging", false, "delete", [])
	count(promotion_order.findings) == 0 with input as to_production([r])
}

test_silent_without_promotion if {
	# No --target: parity sets no promotion facts.
	no_target := object.union(to_production([facts.res([facts.absent("staging"), facts.creates("production")])]), {"target": "", "previous": ""})
	count(promotion_order.findings) == 0 with input as no_target

	# --target given, but the target's plan does not change this resource.
	count(promotion_order.findings) == 0 with input as to_production([facts.res([facts.absent("staging"), facts.present("production")])])
}

test_silent_when_only_in_covers_target if {
	r := object.union(
		promoted([facts.absent("staging"), facts.creates("production")], "staging", false, "create", []),
		{"only_in": ["production"]},
	)
	count(promotion_order.findings) == 0 with input as to_production([r])
}

test_only_in_for_another_environment_does_not_hide_a_create if {
	r := object.union(
		promoted([facts.absent("staging"), facts.creates("production")], "staging", false, "create", []),
		{"only_in": ["staging"]},
	)
	count(promotion_order.findings) == 1 with input as to_production([r])
}

test_create_reported_when_only_in_includes_previous if {
	# only_in "staging" and only_in "production": staging should have it first.
	r := object.union(
		promoted([facts.absent("staging"), facts.creates("production")], "staging", false, "create", []),
		{"only_in": ["staging", "production"]},
	)
	count(promotion_order.findings) == 1 with input as to_production([r])
}

test_silent_when_target_deletes_what_only_in_excludes if {
	# Declared staging-only: production's plan removing its stray copy is
	# what lockstep.hcl asks for, not a change staging must rehearse.
	r := object.union(
		promoted([facts.present("staging"), facts.deletes("production")], "staging", true, "delete", []),
		{"only_in": ["staging"]},
	)
	count(promotion_order.findings) == 0 with input as to_production([r])
}

test_delete_reported_when_only_in_includes_target if {
	r := object.union(
		promoted([facts.present("staging"), facts.deletes("production")], "staging", true, "delete", []),
		{"only_in": ["staging", "production"]},
	)
	count(promotion_order.findings) == 1 with input as to_production([r])
}
