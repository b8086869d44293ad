# METADATA
# title: Value points at another environment's resource
# description: |
#   A value in one environment points at another environment. It equals,
#   or embeds as one token of a longer string (a URL, an ARN, JSON, a
#   connection string), an identifier (id, arn, self link or name) of a
#   resource that belongs to another environment and to none of its own; or
#   it names another environment: its name or an alias as a whole word, in
#   any case (orders-staging, DB-STAGING.internal; products does not name
#   prod). Strings are split into tokens at / : = , " ; @ ' ` ( ) [ ] { }
#   < > | ? & ! # * \ and whitespace; a token counts when it is
#   distinctive: 8 characters or more, not a plain word, not a number. Not
#   references: values naming their own environment too (staging-to-prod),
#   free text (description, comment, note), and a literal that names a
#   later environment and is the same there (central-logs-prod-archive in
#   every environment). A secret is reported by its path and the name it
#   holds, never by its value.
# custom:
#   severity: error
#   remediation: |
#     Point the setting at the environment's own object; the value was usually
#     copied from the other environment's tfvars or console. If the object is
#     shared on purpose, manage it in one place and waive the finding with the
#     reason.
package lockstep.rules.cross_env_reference

import data.lockstep.lib

# One finding per resource and environment that uses another environment's
# identifiers.
findings contains f if {
	some r in input.resources
	some env in {ref.env | some ref in r.references}
	refs := [ref | some ref in r.references; ref.env == env]
	first := refs[0]
	involved := {env} | {ref.owner.env | some ref in refs}

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		r.address,
		[e | some e in input.environments; e in involved],
		sprintf("%s%s", [describe(first), lib.and_more({ref.path | some ref in refs})]),
		{
			"references": [detail(ref) | some ref in refs],
			"addresses": lib.addresses(r),
		},
	)
}

# detail is a reference as details show it; embedded and token only when set,
# so that identifier references keep their shape.
detail(ref) := object.union(
	{"env": ref.env, "path": ref.path, "value": ref.value, "planned": ref.planned, "owner": ref.owner},
	object.filter(ref, [k |
		some k in ["embedded", "token"]
		v := object.get(ref, k, false)
		v != false
		v != ""
	]),
)

# describe words one reference by its kind: a whole identifier, one
# embedded in a longer string, or another environment's name.
describe(ref) := sprintf("%s's %s is %q, the %s of %s's %s", [
	ref.env, ref.path, ref.value, ref.owner.attribute, ref.owner.env, ref.owner.address,
]) if {
	not ref.planned
	kind(ref) == "identifier"
}

describe(ref) := sprintf("%s's plan sets %s to %q, the %s of %s's %s", [
	ref.env, ref.path, ref.value, ref.owner.attribute, ref.owner.env, ref.owner.address,
]) if {
	ref.planned
	kind(ref) == "identifier"
}

describe(ref) := sprintf("%s's %s embeds %q, the %s of %s's %s", [
	ref.env, ref.path, ref.value, ref.owner.attribute, ref.owner.env, ref.owner.address,
]) if {
	not ref.planned
	kind(ref) == "embedded"
}

describe(ref) := sprintf("%s's plan sets %s to a value embedding %q, the %s of %s's %s", [
	ref.env, ref.path, ref.value, ref.owner.attribute, ref.owner.env, ref.owner.address,
]) if {
	ref.planned
	kind(ref) == "embedded"
}

describe(ref) := sprintf("%s's %s %s names %s (token %q)", [
	ref.env, ref.path, shown(ref.value), ref.owner.env, ref.token,
]) if {
	not ref.planned
	kind(ref) == "token"
}

describe(ref) := sprintf("%s's plan sets %s to %s, which names %s (token %q)", [
	ref.env, ref.path, shown(ref.value), ref.owner.env, ref.token,
]) if {
	ref.planned
	kind(ref) == "token"
}

kind(ref) := "token" if object.get(ref, "token", "") != ""

kind(ref) := "embedded" if {
	object.get(ref, "token", "") == ""
	object.get(ref, "embedded", false) == true
}

kind(ref) := "identifier" if {
	object.get(ref, "token", "") == ""
	object.get(ref, "embedded", false) == false
}

# shown quotes a value, except the stand-in for a secret.
shown(v) := v if v == lib.sensitive_text

shown(v) := sprintf("%q", [v]) if v != lib.sensitive_text
