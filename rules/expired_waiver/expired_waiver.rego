# METADATA
# title: Waiver expired or stale
# description: |
#   A waiver in lockstep.hcl whose expires date has passed (calendar days in
#   UTC) suppresses nothing and is reported itself, as an error. A waiver that
#   has not expired but matched no finding in this run is reported as stale,
#   as a warning: the problem it excused is gone, or its rule or resources no
#   longer match anything. This rule judges the waivers after every other
#   rule's findings have been waived, so its input is the waivers document.
# custom:
#   severity: error
#   stage: waivers
#   remediation: |
#     Fix what the waiver excused, or, if it must stay, agree a new expires
#     date with its owner. Delete stale waivers, or correct their rule and
#     resources.
package lockstep.rules.expired_waiver

import data.lockstep.lib

findings contains f if {
	some w in input.waivers
	w.expired

	f := with_location(lib.finding(
		lib.meta(rego.metadata.chain()),
		"",
		[],
		sprintf("waiver %q (rule %s, owner %s) expired on %s and suppresses nothing%s", [
			w.name, w.rule, w.owner, w.expires, would_cover(w),
		]),
		{"waiver": w_detail(w)},
	), w)
}

findings contains f if {
	some w in input.waivers
	not w.expired
	w.matched == 0

	f := with_location(object.union(
		lib.finding(
			lib.meta(rego.metadata.chain()),
			"",
			[],
			sprintf("waiver %q (rule %s, owner %s) is stale: it matched no finding", [w.name, w.rule, w.owner]),
			{"waiver": w_detail(w)},
		),
		{"severity": "warning"},
	), w)
}

would_cover(w) := "" if w.matched == 0

would_cover(w) := "; it would cover 1 finding" if w.matched == 1

would_cover(w) := sprintf("; it would cover %d findings", [w.matched]) if w.matched > 1

w_detail(w) := object.remove(w, ["file", "line"])

with_location(f, w) := object.union(f, {"location": {"file": w.file, "line": w.line}}) if w.file != ""

with_location(f, w) := f if w.file == ""
