# Helpers that build the facts the built-in rules read (policy.Input:
# parity.Resource, parity.EnvState, parity.Attribute), shared by every
# rule's tests so the shape of the input is written once. The file ends in
# _test.rego, so it never ships as policy.
package lockstep.test.facts

# addr is the address of the resource the helpers build.
addr := "aws_db_instance.main"

# of builds an input document for the environments names, with every
# section the engine sends and each environment's input kind ("plan"; the
# real input always names one), then the sections in overrides.
of(names, overrides) := object.union(
	{
		"version": 1, "environments": names,
		"kinds": {e: "plan" | some e in names},
		"target": "", "previous": "",
		"resources": [], "drift": [], "versions": [],
	},
	overrides,
)

doc(names, resources) := of(names, {"resources": resources})

two(resources) := doc(["staging", "production"], resources)

three(resources) := doc(["dev", "staging", "production"], resources)

# state is addr in environment e: present now and after the plan or not,
# with the plan's actions.
state(e, now, after, actions, action) := {
	"env": e, "address": addr,
	"now": now, "after": after,
	"actions": actions, "action": action,
}

present(e) := state(e, true, true, ["no-op"], "no-op")

absent(e) := {"env": e, "address": "", "now": false, "after": false, "actions": [], "action": ""}

creates(e) := state(e, false, true, ["create"], "create")

deletes(e) := state(e, true, false, ["delete"], "delete")

updates(e) := state(e, true, true, ["update"], "update")

replaces(e) := state(e, true, true, ["delete", "create"], "replace")

# res is addr with its environments' states and nothing else to report.
res(envs) := {
	"address": addr, "canonical": addr, "type": "aws_db_instance",
	"only_in": [], "environments": envs, "attributes": [],
	"references": [], "shared_secrets": [],
}

# attr is one attribute's values now and after the plans, per environment.
attr(path, now, after, changed) := {
	"path": path, "now": now, "after": after,
	"changed": changed, "unknown": [],
	"differs_now": differs(now), "differs_after": differs(after),
}

differs(values) := count({v | some v in values}) > 1

test_of_names_every_kind if {
	of(["a", "b"], {}).kinds == {"a": "plan", "b": "plan"}
	two([]).environments == ["staging", "production"]
}
