package lockstep.rules.unreviewed_declaration_test

import data.lockstep.rules.unreviewed_declaration

decl(kind, name, reason) := {
	"kind": kind, "name": name, "reason": reason,
	"resources": ["aws_instance.*"], "attributes": ["instance_type"],
	"unmatched_resources": [], "unmatched_attributes": [],
	"unknown_environment": false,
	"file": "lockstep.hcl", "line": 3,
}

doc(decls) := {
	"version": 1, "environments": ["staging", "production"],
	"today": "2024-03-01", "waivers": [], "declarations": decls,
}

test_todo_reason_is_reported if {
	d := decl("expect_difference", "aws_instance: instance_type", "TODO: why does this differ?")
	unreviewed_declaration.findings == {{
		"rule": "unreviewed-declaration",
		"severity": "warning",
		"address": "",
		"environments": [],
		"message": `expect_difference "aws_instance: instance_type" still has a TODO reason: write why this is intended, or fix the difference and delete the block`,
		"details": {"declaration": object.remove(d, ["file", "line"])},
		"location": {"file": "lockstep.hcl", "line": 3},
	}} with input as doc([d])
}

test_todo_in_any_case_and_after_spaces if {
	count(unreviewed_declaration.findings) == 2 with input as doc([
		decl("only_in", "production", "  todo"),
		decl("expect_difference", "b", "Todo: ask the team"),
	])
}

test_written_reason_passes if {
	count(unreviewed_declaration.findings) == 0 with input as doc([
		decl("expect_difference", "sizing", "production runs larger instances"),
		decl("expect_difference", "todo-list", "the todo app runs only in dev, and says so"),
	])
}
