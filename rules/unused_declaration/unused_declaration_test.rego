package lockstep.rules.unused_declaration_test

import data.lockstep.rules.unused_declaration

# Helpers that build the waivers document's declarations
# (policy.DeclarationStatus).

decl(kind, name, resources, attributes, unmatched_r, unmatched_a, unknown_env) := {
	"kind": kind, "name": name, "reason": "intended",
	"resources": resources, "attributes": attributes,
	"unmatched_resources": unmatched_r, "unmatched_attributes": unmatched_a,
	"unknown_environment": unknown_env,
	"file": "lockstep.hcl", "line": 7,
}

doc(decls) := {
	"version": 1, "environments": ["staging", "production"],
	"today": "2024-03-01", "waivers": [], "declarations": decls,
}

messages(decls) := {f.message | some f in unused_declaration.findings with input as doc(decls)}

test_everything_matched if {
	count(unused_declaration.findings) == 0 with input as doc([
		decl("expect_difference", "sizing", ["aws_instance.*"], ["instance_type"], [], [], false),
		decl("only_in", "production", ["aws_shield_protection.*"], [], [], [], false),
	])
}

test_misspelled_resource if {
	messages([decl("expect_difference", "net", ["terraform_data.network", "terraform_data.netwrok"], ["input.cidr"], ["terraform_data.netwrok"], [], false)]) == {
		`expect_difference "net" matches nothing in this run: resources "terraform_data.netwrok" matched no resource`,
	}
}

test_attribute_not_from_the_top if {
	messages([decl("expect_difference", "net", ["terraform_data.network"], ["cidr", "input.cidr"], [], ["cidr"], false)]) == {
		`expect_difference "net" matches nothing in this run: attributes "cidr" matched no attribute of the resources it selects`,
	}
}

test_no_resource_selected_reports_resources_only if {
	messages([decl("expect_difference", "net", ["terraform_data.netwrok"], ["cidr"], ["terraform_data.netwrok"], ["cidr"], false)]) == {
		`expect_difference "net" matches nothing in this run: resources "terraform_data.netwrok" matched no resource`,
	}
}

test_only_in_alias_without_environment_blocks if {
	messages([decl("only_in", "prod", ["terraform_data.shield"], [], [], [], true)]) == {
		`only_in "prod" matches nothing in this run: "prod" is not one of the environments compared (staging, production) nor an alias of one`,
	}
}

test_finding_shape if {
	d := decl("only_in", "prod", ["a.b"], [], ["a.b"], [], true)
	unused_declaration.findings == {{
		"rule": "unused-declaration",
		"severity": "warning",
		"address": "",
		"environments": [],
		"message": `only_in "prod" matches nothing in this run: "prod" is not one of the environments compared (staging, production) nor an alias of one; resources "a.b" matched no resource`,
		"details": {"declaration": object.remove(d, ["file", "line"])},
		"location": {"file": "lockstep.hcl", "line": 7},
	}} with input as doc([d])
}

test_without_file_no_location if {
	d := object.union(decl("only_in", "qa", ["a.b"], [], [], [], true), {"file": "", "line": 0})
	[f] := [f | some f in unused_declaration.findings] with input as doc([d])
	not f.location
}
