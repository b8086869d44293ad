package lockstep.rules.one_sided_change_test

import data.lockstep.rules.one_sided_change
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Resource, parity.EnvState,
# parity.Attribute).

addr := facts.addr

res(envs, attrs) := object.union(facts.res(envs), {"attributes": attrs})

only_in(envs, declared) := object.union(res(envs, []), {"only_in": declared})

small := {"staging": "db.t3.small", "production": "db.t3.small"}

# div adds parity's diverges: env's plan takes the path away from versus.
div(a, env, versus) := object.union(a, {"diverges": {"env": env, "versus": versus}})

# Presence: the plans create or delete the resource in some environments.

test_created_in_one_environment_only if {
	fs := one_sided_change.findings with input as facts.two([res([facts.creates("staging"), facts.absent("production")], [])])
	fs == {{
		"rule": "one-sided-change",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "staging's plan creates it; production's plan does not",
		"details": {
			"present": ["staging"],
			"missing": ["production"],
			"actions": {"staging": ["create"], "production": []},
			"addresses": {"staging": addr},
		},
	}}
}

test_deleted_in_one_environment_only if {
	fs := one_sided_change.findings with input as facts.two([res([facts.deletes("staging"), facts.present("production")], [])])
	fs == {{
		"rule": "one-sided-change",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "staging's plan deletes it; production's plan does not",
		"details": {
			"present": ["production"],
			"missing": ["staging"],
			"actions": {"staging": ["delete"], "production": ["no-op"]},
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

test_created_in_one_deleted_in_the_other if {
	fs := one_sided_change.findings with input as facts.two([res([facts.creates("staging"), facts.deletes("production")], [])])
	[f] := [f | some f in fs]
	f.message == "staging's plan creates it; the other plans do the opposite"
	f.details.present == ["staging"]
	f.details.missing == ["production"]
}

test_three_environments_created_in_two if {
	fs := one_sided_change.findings with input as facts.three([res([facts.creates("dev"), facts.creates("staging"), facts.absent("production")], [])])
	[f] := [f | some f in fs]
	f.environments == ["dev", "staging", "production"]
	f.message == "dev's and staging's plan creates it; production's plan does not"
	f.details.present == ["dev", "staging"]
	f.details.missing == ["production"]
	f.details.actions == {"dev": ["create"], "staging": ["create"], "production": []}
}

test_three_environments_created_in_one if {
	fs := one_sided_change.findings with input as facts.three([res([facts.creates("dev"), facts.absent("staging"), facts.absent("production")], [])])
	[f] := [f | some f in fs]
	f.message == "dev's plan creates it; staging's plan and production's plan do not"
}

test_state_input_is_not_called_a_plan if {
	inp := json.patch(facts.two([res([facts.creates("staging"), facts.absent("production")], [])]), [{"op": "add", "path": "/kinds", "value": {"staging": "plan", "production": "raw-state"}}])
	[f] := [f | some f in one_sided_change.findings with input as inp]
	f.message == "staging's plan creates it; production (state, no plan) does not"
}

test_silent_when_every_plan_creates_it if {
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.creates("staging"), facts.creates("production")], [])])
	count(one_sided_change.findings) == 0 with input as facts.three([res([facts.creates("dev"), facts.creates("staging"), facts.creates("production")], [])])
}

test_silent_when_every_plan_deletes_it if {
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.deletes("staging"), facts.deletes("production")], [])])
}

test_silent_when_the_plan_converges if {
	# production catches up with staging, or staging drops what production lacks.
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.present("staging"), facts.creates("production")], [])])
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.deletes("staging"), facts.absent("production")], [])])
}

test_silent_when_only_in_covers_it if {
	count(one_sided_change.findings) == 0 with input as facts.two([only_in([facts.creates("staging"), facts.absent("production")], ["staging"])])
}

test_only_in_for_another_environment_does_not_hide_it if {
	fs := one_sided_change.findings with input as facts.two([only_in([facts.creates("staging"), facts.absent("production")], ["production"])])
	count(fs) == 1
}

test_several_only_in_blocks_expect_it_in_each if {
	# Declared in staging and production; only staging's plan creates it.
	fs := one_sided_change.findings with input as facts.three([only_in([facts.absent("dev"), facts.creates("staging"), facts.absent("production")], ["staging", "production"])])
	[f] := [f | some f in fs]
	f.details.missing == ["production"]
}

test_silent_without_plan_changes if {
	# Presence differs in state only: missing-resource's job.
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.present("staging"), facts.absent("production")], [])])
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.present("staging"), facts.present("production")], [])])
}

# Attributes: every environment has it after the plans, values differ.

test_updated_in_one_environment_only if {
	a := div(facts.attr("instance_class", small, {"staging": "db.t3.medium", "production": "db.t3.small"}, ["staging"]), "staging", "production")
	fs := one_sided_change.findings with input as facts.two([res([facts.updates("staging"), facts.present("production")], [a])])
	fs == {{
		"rule": "one-sided-change",
		"severity": "error",
		"address": addr,
		"environments": ["staging", "production"],
		"message": "staging's plan sets instance_class to db.t3.medium; production has db.t3.small and its plan keeps it (staging db.t3.small → db.t3.medium, production db.t3.small)",
		"details": {
			"attributes": [{
				"path": "instance_class",
				"values": {"staging": "db.t3.medium", "production": "db.t3.small"},
				"before": small,
			}],
			"actions": {"staging": ["update"], "production": ["no-op"]},
			"addresses": {"staging": addr, "production": addr},
		},
	}}
}

test_both_change_to_different_values if {
	a := div(facts.attr("instance_class", small, {"staging": "db.t3.medium", "production": "db.t3.large"}, ["staging", "production"]), "production", "staging")
	fs := one_sided_change.findings with input as facts.two([res([facts.updates("staging"), facts.updates("production")], [a])])
	[f] := [f | some f in fs]
	f.message == "production's plan sets instance_class to db.t3.large; staging's plan sets db.t3.medium (staging db.t3.small → db.t3.medium, production db.t3.small → db.t3.large)"
	f.details.actions == {"staging": ["update"], "production": ["update"]}
}

test_several_changed_attributes if {
	attrs := [
		div(facts.attr("engine_version", {"staging": "14.9", "production": "14.9"}, {"staging": "15.4", "production": "14.9"}, ["staging"]), "staging", "production"),
		div(facts.attr("instance_class", small, {"staging": "db.t3.medium", "production": "db.t3.small"}, ["staging"]), "staging", "production"),
		# Same change in both: not reported.
		facts.attr("multi_az", {"staging": false, "production": false}, {"staging": true, "production": true}, ["staging", "production"]),
		# Stale difference no plan touches: attribute-divergence's job.
		facts.attr("port", {"staging": 5432, "production": 5433}, {"staging": 5432, "production": 5433}, []),
	]
	fs := one_sided_change.findings with input as facts.two([res([facts.updates("staging"), facts.updates("production")], attrs)])
	[f] := [f | some f in fs]
	f.message == "staging's plan sets engine_version to 15.4; production has 14.9 and its plan keeps it (staging 14.9 → 15.4, production 14.9) (and 1 more attribute)"
	[x.path | some x in f.details.attributes] == ["engine_version", "instance_class"]
}

test_replaced_in_one_environment_only if {
	a := div(facts.attr("identifier", {"staging": "db", "production": "db"}, {"staging": "db-2", "production": "db"}, ["staging"]), "staging", "production")
	fs := one_sided_change.findings with input as facts.two([res([facts.replaces("staging"), facts.present("production")], [a])])
	[f] := [f | some f in fs]
	f.message == "staging's plan sets identifier to db-2; production has db and its plan keeps it (staging db → db-2, production db)"
	f.details.actions == {"staging": ["delete", "create"], "production": ["no-op"]}
}

test_three_environments_updated_in_two if {
	now := {"dev": 1, "staging": 1, "production": 1}
	after := {"dev": 3, "staging": 3, "production": 1}
	fs := one_sided_change.findings with input as facts.three([res([facts.updates("dev"), facts.updates("staging"), facts.present("production")], [div(facts.attr("replicas", now, after, ["dev", "staging"]), "staging", "production")])])
	[f] := [f | some f in fs]
	f.environments == ["dev", "staging", "production"]
	f.message == "staging's plan sets replicas to 3; production has 1 and its plan keeps it (dev 1 → 3, staging 1 → 3, production 1)"
	f.details.attributes == [{"path": "replicas", "values": after, "before": now}]
}

test_silent_when_both_plans_make_the_same_change if {
	a := facts.attr("instance_class", small, {"staging": "db.t3.large", "production": "db.t3.large"}, ["staging", "production"])
	a.differs_after == false
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.updates("staging"), facts.updates("production")], [a])])
}

test_silent_when_the_plan_resolves_a_divergence if {
	a := facts.attr("instance_class", {"staging": "db.t3.large", "production": "db.t3.small"}, {"staging": "db.t3.large", "production": "db.t3.large"}, ["production"])
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.present("staging"), facts.updates("production")], [a])])
}

test_silent_when_only_unknown_values if {
	# staging's planned value is unknown: parity keeps the entry but it does
	# not differ after the plans.
	a := {
		"path": "arn",
		"now": {"staging": "arn:1", "production": "arn:1"},
		"after": {"staging": "(known after apply)", "production": "arn:1"},
		"changed": ["staging"],
		"unknown": ["staging"],
		"differs_now": false,
		"differs_after": false,
	}
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.updates("staging"), facts.present("production")], [a])])
}

test_silent_when_the_path_is_not_changed if {
	a := facts.attr("port", {"staging": 5432, "production": 5433}, {"staging": 5432, "production": 5433}, [])
	count(one_sided_change.findings) == 0 with input as facts.two([res([facts.present("staging"), facts.present("production")], [a])])
}

test_attributes_ignored_when_presence_differs if {
	# staging creates it: the presence finding alone, no attribute finding.
	a := facts.attr("instance_class", {}, {"staging": "db.t3.small"}, ["staging"])
	fs := one_sided_change.findings with input as facts.two([res([facts.creates("staging"), facts.absent("production")], [a])])
	[f] := [f | some f in fs]
	f.message == "staging's plan creates it; production's plan does not"
}

# Issue 16: who diverges. staging converges on dev, production diverges
# from staging.
test_three_environments_says_who_diverges if {
	now := {"dev": "info", "staging": "warn", "production": "info"}
	after := {"dev": "info", "staging": "info", "production": "warn"}
	a := div(facts.attr("LOG_LEVEL", now, after, ["staging", "production"]), "production", "staging")
	fs := one_sided_change.findings with input as facts.three([res([facts.present("dev"), facts.updates("staging"), facts.updates("production")], [a])])
	[f] := [f | some f in fs]
	f.message == "production's plan sets LOG_LEVEL to warn; staging's plan sets info (dev info, staging warn → info, production info → warn)"
}

test_diverges_from_an_environment_without_a_plan if {
	a := div(facts.attr("size", small, {"staging": "db.t3.small", "production": "db.t3.large"}, ["production"]), "production", "staging")
	inp := json.patch(facts.two([res([facts.present("staging"), facts.updates("production")], [a])]), [{"op": "add", "path": "/kinds", "value": {"staging": "state", "production": "plan"}}])
	[f] := [f | some f in one_sided_change.findings with input as inp]
	f.message == "production's plan sets size to db.t3.large; staging (state, no plan) has db.t3.small (staging db.t3.small, production db.t3.small → db.t3.large)"
}

# Issue 16: production's plan makes the path unknown (another input
# changed) and dev and staging differ there on their own: parity gives no
# diverges, so this is not production's change.
test_silent_when_an_unknown_meets_differences_among_the_others if {
	a := {
		"path": "output.instance_class",
		"now": {"dev": "db.t3.micro", "staging": "db.t3.medium", "production": "db.t3.medium"},
		"after": {"dev": "db.t3.micro", "staging": "db.t3.medium", "production": "(known after apply)"},
		"changed": ["production"],
		"unknown": ["production"],
		"differs_now": true,
		"differs_after": true,
	}
	count(one_sided_change.findings) == 0 with input as facts.three([res([facts.present("dev"), facts.present("staging"), facts.updates("production")], [a])])
}
