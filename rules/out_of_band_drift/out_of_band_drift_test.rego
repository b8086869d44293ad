package lockstep.rules.out_of_band_drift_test

import data.lockstep.rules.out_of_band_drift
import data.lockstep.test.facts

# Helpers that build the facts JSON (parity.Drift, parity.DriftAttribute).

addr := "aws_instance.web"

drift(env, action, attrs) := {"env": env, "address": addr, "type": "aws_instance", "action": action, "attributes": attrs}

updated(env, attrs) := drift(env, "update", attrs)

deleted(env) := drift(env, "delete", [])

changed(path, before, after) := {"path": path, "before": before, "after": after}

two(drifts) := facts.of(["staging", "production"], {"drift": drifts})

instance_type := changed("instance_type", "t3.small", "t3.large")

test_updated_outside_terraform if {
	fs := out_of_band_drift.findings with input as two([updated("production", [instance_type])])
	fs == {{
		"rule": "out-of-band-drift",
		"severity": "warning",
		"address": addr,
		"environments": ["production"],
		"message": "changed outside Terraform in production: instance_type was t3.small, is now t3.large",
		"details": {
			"attributes": [{"path": "instance_type", "values": {"production": "t3.large"}, "before": {"production": "t3.small"}}],
			"actions": {"production": ["update"]},
		},
	}}
}

test_deleted_outside_terraform if {
	fs := out_of_band_drift.findings with input as two([deleted("staging")])
	fs == {{
		"rule": "out-of-band-drift",
		"severity": "warning",
		"address": addr,
		"environments": ["staging"],
		"message": "deleted outside Terraform in staging",
		"details": {"actions": {"staging": ["delete"]}},
	}}
}

test_several_attributes if {
	attrs := [instance_type, changed("tags.Owner", "platform", "alice")]
	fs := out_of_band_drift.findings with input as two([updated("production", attrs)])
	[f] := [f | some f in fs]
	f.message == "changed outside Terraform in production: instance_type was t3.small, is now t3.large (and 1 more attribute)"
	[a.path | some a in f.details.attributes] == ["instance_type", "tags.Owner"]

	attrs3 := array.concat(attrs, [changed("monitoring", false, true)])
	fs3 := out_of_band_drift.findings with input as two([updated("production", attrs3)])
	[f3] := [f | some f in fs3]
	f3.message == "changed outside Terraform in production: instance_type was t3.small, is now t3.large (and 2 more attributes)"
	f3.details.attributes[2] == {"path": "monitoring", "values": {"production": true}, "before": {"production": false}}
}

test_sensitive_values_pass_through if {
	fs := out_of_band_drift.findings with input as two([updated("staging", [changed("password", "(sensitive)", "(sensitive)")])])
	[f] := [f | some f in fs]
	f.message == "changed outside Terraform in staging: password was (sensitive), is now (sensitive)"
	f.details.attributes == [{"path": "password", "values": {"staging": "(sensitive)"}, "before": {"staging": "(sensitive)"}}]
}

test_non_string_values_are_json if {
	fs := out_of_band_drift.findings with input as two([updated("staging", [changed("tags.Team", null, "data")])])
	[f] := [f | some f in fs]
	f.message == "changed outside Terraform in staging: tags.Team was null, is now data"

	fs2 := out_of_band_drift.findings with input as two([updated("staging", [changed("allocated_storage", 20, 100)])])
	[f2] := [f | some f in fs2]
	f2.message == "changed outside Terraform in staging: allocated_storage was 20, is now 100"
}

test_one_finding_per_environment if {
	fs := out_of_band_drift.findings with input as two([
		updated("staging", [instance_type]),
		deleted("production"),
	])
	{f.message: [f.address, f.environments, f.details.actions] | some f in fs} == {
		"changed outside Terraform in staging: instance_type was t3.small, is now t3.large": [addr, ["staging"], {"staging": ["update"]}],
		"deleted outside Terraform in production": [addr, ["production"], {"production": ["delete"]}],
	}
}

test_one_finding_per_resource if {
	other := object.union(deleted("staging"), {"address": "aws_s3_bucket.logs", "type": "aws_s3_bucket"})
	fs := out_of_band_drift.findings with input as two([updated("staging", [instance_type]), other])
	{f.address: f.message | some f in fs} == {
		addr: "changed outside Terraform in staging: instance_type was t3.small, is now t3.large",
		"aws_s3_bucket.logs": "deleted outside Terraform in staging",
	}
}

test_silent_for_update_without_attributes if {
	count(out_of_band_drift.findings) == 0 with input as two([updated("staging", [])])
}

test_silent_without_drift if {
	count(out_of_band_drift.findings) == 0 with input as two([])
	count(out_of_band_drift.findings) == 0 with input as object.remove(two([]), ["drift"])
}
