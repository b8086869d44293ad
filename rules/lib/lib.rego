# METADATA
# title: Shared helpers for the built-in rules
# description: |
#   One place that gives every finding the same shape, so that built-in and
#   user rules render identically in every output format.
package lockstep.lib

# meta returns the package-scope METADATA of the rule calling it, with the
# rule's id under "id"; pass rego.metadata.chain() from the rule body.
meta(chain) := object.union(a, {"id": rule_id(entry.path)}) if {
	some entry in chain
	a := entry.annotations
	a.scope == "package"
}

# rule_id derives a built-in rule's id from its package path, as the engine
# does (data.lockstep.rules.one_sided_change is one-sided-change), so the
# package is the one place a built-in rule's identity is written.
rule_id(path) := replace(path[count(path) - 1], "_", "-")

# sensitive_text is how a hidden value is shown: report.SensitiveText, which
# the engine puts in data so that Go and Rego share one spelling.
sensitive_text := data.lockstep.constants.sensitive_text

# finding builds a finding with the shape of the JSON report contract.
finding(m, address, envs, message, details) := {
	"rule": m.id,
	"severity": m.custom.severity,
	"address": address,
	"environments": envs,
	"message": message,
	"details": details,
}

# fmt renders a value for a message: strings as they are, the rest as JSON.
fmt(v) := v if is_string(v)

fmt(v) := json.marshal(v) if not is_string(v)

# env_values renders "staging 15.4, production 14.9" in environment order.
env_values(envs, values) := concat(", ", [sprintf("%s %s", [e, fmt(values[e])]) |
	some e in envs
	e in object.keys(values)
])

# and_more renders " (and 2 more attributes)" for lists longer than one.
and_more(items) := "" if count(items) <= 1

and_more(items) := sprintf(" (and %d more attribute)", [count(items) - 1]) if count(items) == 2

and_more(items) := sprintf(" (and %d more attributes)", [count(items) - 1]) if count(items) > 2

# and_more_of is and_more for facts cut to their first paths (field is
# obj's *_omitted count): " (and 99 more attributes; 999900 more differing
# paths not listed)", so a message never understates what it could not list.
and_more_of(items, obj, field) := and_more(items) if object.get(obj, field, 0) == 0

and_more_of(items, obj, field) := sprintf(" (%d more differing paths not listed)", [n]) if {
	n := object.get(obj, field, 0)
	n > 0
	count(items) <= 1
}

and_more_of(items, obj, field) := sprintf(" (and %d more %s; %d more differing paths not listed)", [count(items) - 1, word, n]) if {
	n := object.get(obj, field, 0)
	n > 0
	count(items) > 1
	word := {true: "attribute", false: "attributes"}[count(items) == 2]
}

# envs_where lists, in environment order, the environments of r where the
# given presence field ("now" or "after") is true.
envs_where(r, field) := [s.env | some s in r.environments; s[field]]

# envs_without lists the environments where it is false.
envs_without(r, field) := [s.env | some s in r.environments; not s[field]]

# only_in_covers is true when lockstep.hcl declares r as belonging only to
# environments that include every one of envs.
only_in_covers(r, envs) if {
	count(r.only_in) > 0
	every e in envs {
		e in r.only_in
	}
}

# absent_by_design is true when r is where only_in blocks put it (every one
# of envs, which have it, is in r.only_in) and e is not one of r.only_in: its
# absence from e is intended. Several only_in blocks for r name every
# environment it belongs to, so its absence from one of them is not.
absent_by_design(r, envs, e) if {
	only_in_covers(r, envs)
	not e in r.only_in
}

# addresses maps each environment to r's literal address there, for details.
addresses(r) := {s.env: s.address | some s in r.environments; s.address != ""}

# verbs turns a planned action into the word used in messages.
verbs := {
	"create": "creates",
	"update": "updates",
	"delete": "deletes",
	"replace": "replaces",
	"forget": "forgets",
}

# possessive names whose plan it is: "staging's", "staging's and production's".
possessive(envs) := concat(" and ", [sprintf("%s's", [e]) | some e in envs])

# lacks_text words the difference between sets of references (environment
# to sorted addresses): "production lacks the reference to
# aws_security_group.monitoring; staging lacks the references to A, B", in
# environment order; "" when no environment lacks anything.
lacks_text(envs, sets) := concat("; ", [sprintf("%s lacks %s", [e, the_references(missing)]) |
	some e in envs
	e in object.keys(sets)
	own := {x | some x in sets[e]}
	missing := sort({x | some other in object.keys(sets); other != e; some x in sets[other]; not x in own})
	count(missing) > 0
])

the_references(addrs) := sprintf("the reference to %s", [addrs[0]]) if count(addrs) == 1

the_references(addrs) := sprintf("the references to %s", [concat(", ", addrs)]) if count(addrs) > 1
