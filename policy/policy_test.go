package policy

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/report"
)

// TestEngineRules compares the rules the engine loads with the generated
// rule list (cmd/lockstep's rules.json golden, which TestRulesFormats keeps
// equal to `lockstep rules --format json`): no id list is kept by hand here.
func TestEngineRules(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range e.Rules() {
		got = append(got, r.ID+":"+string(r.Severity))
		if r.Title == "" || r.Description == "" || r.Remediation == "" {
			t.Errorf("%s: incomplete metadata %+v", r.ID, r)
		}
	}
	var want []string
	for _, r := range golden.BuiltinRules(t) {
		want = append(want, r.ID+":"+r.Severity)
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules %q, want %q (rules.json)", got, want)
	}
}

// TestBuiltinRuleID: a built-in rule's id comes from its package; a
// custom.id that says otherwise is an error, not a second identity.
func TestBuiltinRuleID(t *testing.T) {
	const head = "# METADATA\n# title: T\n# description: D\n# custom:\n#   severity: error\n#   remediation: R\n"
	for _, tc := range []struct {
		name, src, wantID, wantErr string
	}{
		{"derived", head + "package lockstep.rules.one_sided_change\n", "one-sided-change", ""},
		{"agreeing custom.id", head + "#   id: one-sided-change\npackage lockstep.rules.one_sided_change\n", "one-sided-change", ""},
		{"disagreeing custom.id", head + "#   id: one-sided\npackage lockstep.rules.one_sided_change\n", "",
			`x.rego: custom.id one-sided disagrees with the id "one-sided-change" that package lockstep.rules.one_sided_change gives`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods, err := loadModules(fstest.MapFS{"x.rego": {Data: []byte(tc.src)}})
			if err != nil {
				t.Fatal(err)
			}
			r, err := ruleMeta("x.rego", mods["x.rego"])
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || r.ID != tc.wantID {
				t.Errorf("id %q, error %v; want %q", r.ID, err, tc.wantID)
			}
		})
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
	input, err := (&Document{Version: InputVersion, Facts: facts}).Value()
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

// TestUserDetailKeys: the keys a user rule's details may use with their
// report meaning are report.Details' JSON names, less waiver, related and extra;
// every other key goes under details.extra.
func TestUserDetailKeys(t *testing.T) {
	want := []string{"actions", "addresses", "attributes", "missing", "present", "references", "version"}
	if got := slices.Sorted(maps.Keys(userDetailKeys)); !slices.Equal(got, want) {
		t.Errorf("userDetailKeys %q, want %q", got, want)
	}
	d, err := decodeUserDetails([]byte(`{"present": ["staging"], "version": {"kind": "terraform", "name": "terraform", "values": {}}, "waiver": 1, "extra": 2, "ticket": "OPS-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Present) != 1 || d.Version == nil || d.Waiver != nil {
		t.Errorf("known keys not decoded: %+v", d)
	}
	if want := map[string]any{"waiver": json.Number("1"), "extra": json.Number("2"), "ticket": "OPS-1"}; !reflect.DeepEqual(d.Extra, want) {
		t.Errorf("extra %#v, want %#v", d.Extra, want)
	}
}
