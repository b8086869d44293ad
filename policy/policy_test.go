package policy

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/report"
)

func TestEngineRules(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range e.Rules() {
		ids = append(ids, r.ID+":"+string(r.Severity))
		if r.Title == "" || r.Description == "" || r.Remediation == "" {
			t.Errorf("%s: incomplete metadata %+v", r.ID, r)
		}
	}
	// DESIGN's table of built-in rules, with default severities.
	want := "attribute-divergence:error cross-env-reference:error expired-waiver:error missing-resource:error " +
		"one-sided-change:error out-of-band-drift:warning promotion-order:error shared-secret:error version-skew:warning"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("rules %q, want %q", got, want)
	}
}

// TestEvaluate runs the built-in rules on hand-made facts.
func TestEvaluate(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	facts := &parity.Facts{
		Environments: []string{"staging", "production"},
		Resources: []*parity.Resource{{
			Address: "aws_db_instance.main", Canonical: "aws_db_instance.main", Type: "aws_db_instance", OnlyIn: []string{},
			Envs: []parity.EnvState{
				{Env: "staging", Address: "aws_db_instance.main", Now: true, After: true, Actions: []string{}},
				{Env: "production", Address: "aws_db_instance.main", Now: true, After: true, Actions: []string{}},
			},
			Attributes: []*parity.Attribute{{
				Path: "engine_version", DiffersNow: true, DiffersAfter: true, Changed: []string{}, Unknown: []string{},
				Now:   map[string]any{"staging": "15.4", "production": "14.9"},
				After: map[string]any{"staging": "15.4", "production": "14.9"},
			}},
		}},
	}
	input, err := NewInput(facts)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), input, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 {
		t.Fatalf("got %d findings: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Rule != "attribute-divergence" || f.Severity != "error" || f.Address != "aws_db_instance.main" ||
		f.Message != "engine_version differs: staging 15.4, production 14.9" ||
		len(f.Details.Attributes) != 1 || f.Details.Attributes[0].Values["production"] != "14.9" {
		t.Errorf("unexpected finding %+v", f)
	}
}

func TestDecodeFindingRejectsBadShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"string", "oops", "wrong shape"},
		{"no rule", map[string]any{"severity": "error", "message": "m"}, "no rule id"},
		{"bad severity", map[string]any{"rule": "r", "severity": "critical", "message": "m"}, "severity"},
		{"no message", map[string]any{"rule": "r", "severity": "error"}, "no message"},
		{"environments not a list", map[string]any{"rule": "r", "severity": "error", "message": "m", "environments": "staging"}, "wrong shape"},
	} {
		_, err := decodeFinding(tc.v)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestApplyWaivers(t *testing.T) {
	cfg, err := config.Parse([]byte(`
waiver "db" {
  rule      = "attribute-divergence"
  resources = ["module.app[*].aws_db_instance.*"]
  reason    = "rolling out"
  owner     = "team-data"
  expires   = "2027-01-31"
}
waiver "all-missing" {
  rule    = "missing-resource"
  reason  = "migration"
  owner   = "team-platform"
  expires = "2026-06-30"
}
`), "lockstep.hcl", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings := func() []report.Finding {
		return []report.Finding{
			{Rule: "attribute-divergence", Address: `module.app["eu"].aws_db_instance.main`},
			{Rule: "attribute-divergence", Address: "aws_db_instance.other"},
			{Rule: "missing-resource", Address: "aws_s3_bucket.logs"},
			{Rule: "one-sided-change", Address: `module.app["eu"].aws_db_instance.main`},
		}
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tc := range []struct {
		today string
		want  []bool
	}{
		{"2026-06-30", []bool{true, false, true, false}}, // both hold on their expiry day
		{"2026-07-01", []bool{true, false, false, false}},
		{"2027-02-01", []bool{false, false, false, false}},
	} {
		fs := findings()
		ApplyWaivers(fs, cfg.Waivers, day(tc.today))
		for i, f := range fs {
			if f.Waived != tc.want[i] {
				t.Errorf("%s: finding %d (%s %s) waived=%v, want %v", tc.today, i, f.Rule, f.Address, f.Waived, tc.want[i])
			}
			if f.Waived && (f.Waiver == nil || f.Waiver.Owner == "") {
				t.Errorf("%s: waived finding %d lacks its waiver", tc.today, i)
			}
		}
	}
}
