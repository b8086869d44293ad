package lockstep.rules.expired_waiver_test

import data.lockstep.rules.expired_waiver

# Helpers that build the waivers document (policy.WaiverInput,
# policy.WaiverStatus).

waiver(name, expired, matched) := {
	"name": name, "rule": "attribute-divergence",
	"resources": ["aws_db_instance.main"],
	"owner": "team-db", "reason": "upgrade scheduled",
	"expires": "2024-01-31", "expired": expired, "matched": matched,
	"file": "lockstep.hcl", "line": 12,
}

expired(matched) := waiver("legacy-db", true, matched)

stale := waiver("legacy-db", false, 0)

unlocated(w) := object.union(w, {"file": "", "line": 0})

# detail is the waiver as details.waiver shows it: without file and line.
detail(w) := {
	"name": w.name, "rule": w.rule, "resources": w.resources,
	"owner": w.owner, "reason": w.reason, "expires": w.expires,
	"expired": w.expired, "matched": w.matched,
}

doc(waivers) := {
	"version": 1, "environments": ["staging", "production"],
	"today": "2024-03-01", "waivers": waivers,
}

only(waivers) := f if {
	fs := expired_waiver.findings with input as doc(waivers)
	[f] := [f | some f in fs]
}

test_expired_waiver if {
	fs := expired_waiver.findings with input as doc([expired(2)])
	fs == {{
		"rule": "expired-waiver",
		"severity": "error",
		"address": "",
		"environments": [],
		"message": `waiver "legacy-db" (rule attribute-divergence, owner team-db) expired on 2024-01-31 and suppresses nothing; it would cover 2 findings`,
		"details": {"waiver": detail(expired(2))},
		"location": {"file": "lockstep.hcl", "line": 12},
	}}
}

test_expired_waiver_would_cover_wording if {
	f1 := only([expired(1)])
	f1.message == `waiver "legacy-db" (rule attribute-divergence, owner team-db) expired on 2024-01-31 and suppresses nothing; it would cover 1 finding`

	# An expired waiver that covers nothing is expired, not stale.
	f0 := only([expired(0)])
	f0.severity == "error"
	f0.message == `waiver "legacy-db" (rule attribute-divergence, owner team-db) expired on 2024-01-31 and suppresses nothing`
}

test_stale_waiver if {
	fs := expired_waiver.findings with input as doc([stale])
	fs == {{
		"rule": "expired-waiver",
		"severity": "warning",
		"address": "",
		"environments": [],
		"message": `waiver "legacy-db" (rule attribute-divergence, owner team-db) is stale: it matched no finding`,
		"details": {"waiver": detail(stale)},
		"location": {"file": "lockstep.hcl", "line": 12},
	}}
}

test_silent_for_valid_matched_waiver if {
	count(expired_waiver.findings) == 0 with input as doc([waiver("legacy-db", false, 1)])
	count(expired_waiver.findings) == 0 with input as doc([waiver("legacy-db", false, 5)])
}

test_location_absent_without_file if {
	f := only([unlocated(expired(2))])
	not "location" in object.keys(f)
	f.details.waiver == detail(expired(2))

	g := only([unlocated(stale)])
	not "location" in object.keys(g)
	g.severity == "warning"
}

test_details_have_no_file_or_line if {
	f := only([expired(3)])
	not "file" in object.keys(f.details.waiver)
	not "line" in object.keys(f.details.waiver)
	object.keys(f.details.waiver) == {"name", "rule", "resources", "owner", "reason", "expires", "expired", "matched"}

	g := only([stale])
	object.keys(g.details.waiver) == object.keys(f.details.waiver)
}

test_one_finding_per_waiver if {
	waivers := [
		expired(2),
		object.union(waiver("old-bucket", false, 0), {"rule": "missing-resource", "owner": "team-web", "line": 30}),
		waiver("current", false, 4),
	]
	fs := expired_waiver.findings with input as doc(waivers)
	{f.details.waiver.name: [f.severity, f.location.line] | some f in fs} == {
		"legacy-db": ["error", 12],
		"old-bucket": ["warning", 30],
	}
}

test_silent_without_waivers if {
	count(expired_waiver.findings) == 0 with input as doc([])
}
