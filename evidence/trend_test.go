package evidence_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/report"
)

// doc is a report as of day whose one stack has findings at addrs.
func doc(day string, addrs ...string) *evidence.Document {
	s := evidence.Stack{Name: "payments", Status: evidence.StatusParity, Environments: []string{"staging", "production"}}
	for _, a := range addrs {
		f := report.Finding{Rule: "attribute-divergence", Severity: report.SeverityError, Address: a, Environments: []string{"staging", "production"}}
		s.Findings = append(s.Findings, evidence.Finding{Finding: f, ID: evidence.FindingID(s.Name, f), FirstSeen: day})
	}
	return &evidence.Document{AsOf: day, Stacks: []evidence.Stack{s}}
}

// TestThreeReports: a finding first seen in the first report keeps that
// day through the second and third (persisting); one added in the second is
// new there; one gone in the third is resolved; the history grows.
func TestThreeReports(t *testing.T) {
	first := doc("2026-10-01", "a.x")
	evidence.Finalize(first)
	second := doc("2026-11-01", "a.x", "b.y")
	if err := evidence.ApplyPrevious(second, first); err != nil {
		t.Fatal(err)
	}
	evidence.Finalize(second)
	third := doc("2026-12-01", "a.x")
	if err := evidence.ApplyPrevious(third, second); err != nil {
		t.Fatal(err)
	}
	evidence.Finalize(third)

	want := map[string][2]string{"a.x": {evidence.TrendPersisting, "2026-10-01"}, "b.y": {evidence.TrendNew, "2026-11-01"}}
	for _, f := range second.Stacks[0].Findings {
		if got := [2]string{f.Trend, f.FirstSeen}; got != want[f.Address] {
			t.Errorf("second report, %s: %v, want %v", f.Address, got, want[f.Address])
		}
	}
	if f := third.Stacks[0].Findings[0]; f.Trend != evidence.TrendPersisting || f.FirstSeen != "2026-10-01" {
		t.Errorf("third report, a.x: %s since %s, want persisting since 2026-10-01", f.Trend, f.FirstSeen)
	}
	if r := third.Resolved; len(r) != 1 || r[0].Address != "b.y" || r[0].FirstSeen != "2026-11-01" {
		t.Errorf("third report resolved %+v, want b.y first seen 2026-11-01", r)
	}
	if tr := third.Summary.Trend; tr == nil || *tr != (evidence.TrendCounts{Previous: "2026-11-01", Persisting: 1, Resolved: 1}) {
		t.Errorf("third report's trend %+v", tr)
	}
	var days []string
	for _, h := range third.History {
		days = append(days, h.AsOf+":"+string(rune('0'+h.Errors)))
	}
	if got := days; len(got) != 3 || got[0] != "2026-10-01:1" || got[1] != "2026-11-01:2" || got[2] != "2026-12-01:1" {
		t.Errorf("history %v, want 2026-10-01:1 2026-11-01:2 2026-12-01:1", got)
	}
}

// TestInputErrorIsNotResolved: a stack that cannot be read now has no
// resolved findings, and the previous report must be whole.
func TestInputErrorIsNotResolved(t *testing.T) {
	prev := doc("2026-11-01", "a.x")
	evidence.Finalize(prev)
	now := doc("2026-12-01")
	now.Stacks[0].Status = evidence.StatusInputError
	if err := evidence.ApplyPrevious(now, prev); err != nil {
		t.Fatal(err)
	}
	if len(now.Resolved) != 0 {
		t.Errorf("resolved %+v for a stack with an input error", now.Resolved)
	}
	prev.Shard = &evidence.Shard{Index: 1, Count: 2}
	if err := evidence.ApplyPrevious(doc("2026-12-01"), prev); err == nil {
		t.Error("a shard was accepted as the previous report")
	}
}

// TestCollapseKeys: instance keys become [*], whatever they hold.
func TestCollapseKeys(t *testing.T) {
	for in, want := range map[string]string{
		`aws_instance.web`:                       `aws_instance.web`,
		`aws_instance.web[3]`:                    `aws_instance.web[*]`,
		`module.svc["eu"].aws_instance.web["a"]`: `module.svc[*].aws_instance.web[*]`,
		`aws_s3_bucket.b["x]y"]`:                 `aws_s3_bucket.b[*]`,
		`aws_s3_bucket.b["q\"]"].aws_thing.t[0]`: `aws_s3_bucket.b[*].aws_thing.t[*]`,
		`broken[`:                                `broken[`,
	} {
		if got := evidence.CollapseKeys(in); got != want {
			t.Errorf("CollapseKeys(%s) = %s, want %s", in, got, want)
		}
	}
}
