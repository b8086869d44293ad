# METADATA
# title: Environments built with different versions
# description: |
#   The environments were planned with different Terraform versions, lock
#   different provider versions in .terraform.lock.hcl, or call modules from
#   different sources or version constraints. Staging then rehearses
#   something other than what production will run. An environment-level
#   finding: its address is empty.
# custom:
#   severity: warning
#   remediation: |
#     Plan every environment from the same commit with the same Terraform
#     version, and commit one .terraform.lock.hcl (or keep the environments'
#     lock files in step when you upgrade a provider).
package lockstep.rules.version_skew

import data.lockstep.lib

findings contains f if {
	some v in input.versions
	v.differs
	envs := [e | some e in input.environments; has(v, e)]

	f := lib.finding(
		lib.meta(rego.metadata.chain()),
		"",
		envs,
		sprintf("%s differs: %s", [subject(v), values(v, input.environments)]),
		{"version": {
			"kind": v.kind, "name": v.name, "values": v.values,
			"missing": v.missing, "sources": v.sources,
		}},
	)
}

has(v, e) if v.values[e]

has(v, e) if e in v.missing

subject(v) := "Terraform version" if v.kind == "terraform"

# Terraform in one environment, OpenTofu in another (where the inputs show
# which: provider registry addresses, the binary that ran).
subject(v) := "tool (Terraform or OpenTofu)" if v.kind == "tool"

subject(v) := sprintf("provider %s version", [v.name]) if v.kind == "provider"

subject(v) := sprintf("%s source", [v.name]) if v.kind == "module-source"

subject(v) := sprintf("%s version constraint", [v.name]) if v.kind == "module-version"

values(v, environments) := concat(", ", [sprintf("%s %s", [e, value(v, e)]) |
	some e in environments
	has(v, e)
])

value(v, e) := tool_names[v.values[e]] if v.kind == "tool"

value(v, e) := v.values[e] if v.kind != "tool"

# The tools as their makers spell them (details keep the plain ids).
tool_names := {"terraform": "Terraform", "opentofu": "OpenTofu"}

value(v, e) := absent[v.kind] if e in v.missing

absent := {
	"terraform": "(unknown)",
	"provider": "(not in its lock file)",
	"module-source": "(no such module call)",
	"module-version": "(no version constraint)",
}
