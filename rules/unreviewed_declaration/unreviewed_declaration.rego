# METADATA
# title: Declaration without a reviewed reason
# description: |
#   An expect_difference or only_in block in lockstep.hcl whose reason still
#   starts with TODO, as lockstep init writes every block it generates. The
#   config loads and the declaration applies, so a first run is quiet, but
#   each run reports the block until a person has looked at the difference
#   and written down why it is intended. This rule judges lockstep.hcl after
#   the facts, so its input is the waivers document.
# custom:
#   severity: warning
#   stage: waivers
#   remediation: |
#     Write the reason: why the environments differ here, in words a
#     reviewer of the next change can check. If nobody can say, the
#     difference is drift: fix it and delete the block.
package lockstep.rules.unreviewed_declaration

import data.lockstep.lib

findings contains f if {
	some d in input.declarations
	startswith(upper(trim_space(d.reason)), "TODO")

	f := with_location(lib.finding(
		lib.meta(rego.metadata.chain()),
		"",
		[],
		sprintf("%s %q still has a TODO reason: write why this is intended, or fix the difference and delete the block", [d.kind, d.name]),
		{"declaration": object.remove(d, ["file", "line"])},
	), d)
}

with_location(f, d) := object.union(f, {"location": {"file": d.file, "line": d.line}}) if d.file != ""

with_location(f, d) := f if d.file == ""
