# METADATA
# title: Declaration that matches nothing
# description: |
#   An expect_difference or only_in block in lockstep.hcl with a pattern
#   that matched nothing in this run: a resources pattern that selects no
#   resource of any environment, an attributes pattern that selects no
#   attribute path of the resources the block selects (paths match from the
#   top: "cidr" is not "input.cidr"), or an only_in whose environment is
#   neither an environment compared nor an alias of one. Such a block
#   declares nothing while its reader believes it covers something: most
#   often a typo, or a leftover of a resource that is gone. A pattern that
#   selects something that exists counts as matched even when the values
#   are equal today. This rule judges lockstep.hcl after the facts, so its
#   input is the waivers document.
# custom:
#   severity: warning
#   stage: waivers
#   remediation: |
#     Correct the pattern's spelling (lockstep check --dump-input shows the
#     addresses and attribute paths), declare the environment or its alias
#     in an environment block, or delete the pattern or block that no longer
#     applies.
package lockstep.rules.unused_declaration

import data.lockstep.lib

findings contains f if {
	some d in input.declarations
	problems := array.concat(array.concat(environment(d), resources(d)), attributes(d))
	count(problems) > 0

	f := with_location(lib.finding(
		lib.meta(rego.metadata.chain()),
		"",
		[],
		sprintf("%s %q matches nothing in this run: %s", [d.kind, d.name, concat("; ", problems)]),
		{"declaration": object.remove(d, ["file", "line"])},
	), d)
}

environment(d) := [sprintf("%q is not one of the environments compared (%s) nor an alias of one", [d.name, concat(", ", input.environments)])] if {
	d.unknown_environment
}

environment(d) := [] if not d.unknown_environment

resources(d) := [sprintf("resources %s matched no resource", [quoted(d.unmatched_resources)])] if {
	count(d.unmatched_resources) > 0
}

resources(d) := [] if count(d.unmatched_resources) == 0

# Attributes are judged only when the block selects some resource: when it
# selects none, its resources are the problem.
attributes(d) := [sprintf("attributes %s matched no attribute of the resources it selects", [quoted(d.unmatched_attributes)])] if {
	count(d.unmatched_attributes) > 0
	count(d.unmatched_resources) < count(d.resources)
}

attributes(d) := [] if {
	count(d.unmatched_attributes) > 0
	count(d.unmatched_resources) == count(d.resources)
}

attributes(d) := [] if count(d.unmatched_attributes) == 0

quoted(list) := concat(", ", [sprintf("%q", [s]) | some s in list])

with_location(f, d) := object.union(f, {"location": {"file": d.file, "line": d.line}}) if d.file != ""

with_location(f, d) := f if d.file == ""
