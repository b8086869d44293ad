package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWaivers checks that a valid waiver marks a finding waived (kept in the
// report, not counted, exit 0) through the last day of its validity, that
// from the next UTC day on it suppresses nothing and is itself reported, and
// that a waiver matching nothing is reported as stale (a warning).
func TestWaivers(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "lockstep.hcl")
	write := func(resource, expires string) {
		t.Helper()
		src := `environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
waiver "engine-upgrade" {
  rule      = "attribute-divergence"
  resources = ["` + resource + `"]
  reason    = "engine upgrade rolling out, staging first"
  owner     = "team-data"
  expires   = "` + expires + `"
}
only_in "staging" {
  resources = ["terraform_data.feature_flag[*]"]
  reason    = "feature flag trial runs in staging only"
}
`
		if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := scenarioCases[0] // a-staging-only-change
	for _, tc := range []struct {
		name, resource, expires, asOf string
		wantCode                      int
		wantSummary                   string
		wantRules                     []string
	}{
		{"valid on its last day", "terraform_data.db", "2027-01-31", "2027-01-31", 0,
			"{Errors:0 Warnings:0 Waived:1}", []string{"attribute-divergence"}},
		{"expired the next day", "terraform_data.db", "2027-01-31", "2027-02-01", 1,
			"{Errors:2 Warnings:0 Waived:0}", []string{"attribute-divergence", "expired-waiver"}},
		{"stale", "terraform_data.nothing", "2027-01-31", "2027-01-01", 1,
			"{Errors:1 Warnings:1 Waived:0}", []string{"attribute-divergence", "expired-waiver"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write(tc.resource, tc.expires)
			code, out, errOut := runCLI(t, append(scenarioArgs(c, "plan.json"), "--config", cfg, "--format", "json", "--as-of", tc.asOf)...)
			if errOut != "" {
				t.Fatalf("stderr: %s", errOut)
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range rep.Findings {
				rules = append(rules, f.Rule)
			}
			if code != tc.wantCode || fmt.Sprintf("%+v", rep.Summary) != tc.wantSummary || strings.Join(rules, ",") != strings.Join(tc.wantRules, ",") {
				t.Errorf("exit %d, summary %+v, rules %v; want exit %d, %s, %v\n%s", code, rep.Summary, rules, tc.wantCode, tc.wantSummary, tc.wantRules, out)
			}
			if tc.name == "valid on its last day" && !strings.Contains(out, `"owner": "team-data"`) {
				t.Errorf("waived finding should name its waiver and owner:\n%s", out)
			}
			if tc.name != "valid on its last day" && !strings.Contains(out, `"file": "`+cfg+`"`) {
				t.Errorf("the waiver finding should point at %s:\n%s", cfg, out)
			}
		})
	}
}

// TestErrors checks that every kind of bad invocation or input exits 2 with
// a message that says what is wrong and where, and prints no report.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	badCfg := filepath.Join(dir, "bad.hcl")
	os.WriteFile(badCfg, []byte("environment \"staging\" {}\nwaiver \"w\" {\n  rule = \"attribute-divergense\"\n  reason = \"x\"\n  owner = \"y\"\n  expires = \"2027-13-01\"\n}\n"), 0o644)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, nil, 0o644)
	missingLock := filepath.Join(dir, "missing-lock.hcl")
	os.WriteFile(missingLock, []byte("environment \"staging\" {\n  lockfile = \"staging.lock.hcl\"\n}\nenvironment \"production\" {}\n"), 0o644)
	badLock := filepath.Join(dir, "bad-lock.hcl")
	os.WriteFile(badLock, []byte("environment \"staging\" {\n  lockfile = \"bad.terraform.lock.hcl\"\n}\nenvironment \"production\" {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.terraform.lock.hcl"), []byte("provider \"registry.terraform.io/hashicorp/null\" {\n  version = \n}\n"), 0o644)
	brokenTF := filepath.Join(dir, "broken")
	os.MkdirAll(brokenTF, 0o755)
	os.WriteFile(filepath.Join(brokenTF, "main.tf"), []byte("resource \"terraform_data\" \"x\" {\n  input = \n}\n"), 0o644)
	missingSource := filepath.Join(dir, "missing-source.hcl")
	os.WriteFile(missingSource, []byte("environment \"staging\" {}\nenvironment \"production\" {\n  source = \"envs/production\"\n}\n"), 0o644)
	a := filepath.Join(scenarios, "a-staging-only-change")
	stg, prd := "staging="+filepath.Join(a, "staging.plan.json"), "production="+filepath.Join(a, "production.plan.json")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"one environment", []string{"check", "--env", stg}, []string{"at least two"}},
		{"bad env flag", []string{"check", "--env", "staging", "--env", prd}, []string{"expected NAME=PATH", `dir = "..."`, `leave "staging" out`}},
		{"duplicate env", []string{"check", "--env", stg, "--env", stg}, []string{`"staging" is given twice`}},
		{"missing file", []string{"check", "--env", stg, "--env", "production=" + filepath.Join(dir, "nope.json")}, []string{"nope.json", "no such file"}},
		{"empty file", []string{"check", "--env", stg, "--env", "production=" + empty}, []string{"empty.json", "empty"}},
		{"unknown target", []string{"check", "--env", stg, "--env", prd, "--target", "qa"}, []string{`--target "qa"`}},
		{"unknown format", []string{"check", "--env", stg, "--env", prd, "--format", "yaml"}, []string{`unknown format "yaml"`}},
		{"bad fail-on", []string{"check", "--env", stg, "--env", prd, "--fail-on", "critical"}, []string{`--fail-on "critical"`}},
		{"missing config", []string{"check", "--env", stg, "--env", prd, "--config", filepath.Join(dir, "none.hcl")}, []string{"none.hcl"}},
		{"bad config", []string{"check", "--env", stg, "--env", prd, "--config", badCfg}, []string{"bad.hcl:3:", "Did you mean", "bad.hcl:6:"}},
		{"undeclared environment", []string{"check", "--env", stg, "--env", prd, "--config", filepath.Join(scenarios, "d-declared-differences", "lockstep.hcl"), "--env", "qa=" + filepath.Join(a, "staging.plan.json")}, []string{`"qa" is not declared`}},
		{"bad as-of", []string{"check", "--env", stg, "--env", prd, "--as-of", "2027-13-01"}, []string{`--as-of "2027-13-01"`, "YYYY-MM-DD"}},
		{"missing lock file", []string{"check", "--env", stg, "--env", prd, "--config", missingLock}, []string{"staging.lock.hcl", "does not exist", "missing-lock.hcl"}},
		{"bad lock file", []string{"check", "--env", stg, "--env", prd, "--config", badLock}, []string{"bad.terraform.lock.hcl", "line 2"}},
		{"source for an unknown environment", []string{"check", "--env", stg, "--env", prd, "--source", "qa=" + dir}, []string{`--source qa=`, `"qa" is not one of the environments`}},
		{"missing source directory", []string{"check", "--env", stg, "--env", prd, "--source", "staging=" + filepath.Join(dir, "envs", "nope")}, []string{"environment staging", "nope", "no such file"}},
		{"source without .tf files", []string{"check", "--env", stg, "--env", prd, "--source", dir}, []string{"no Terraform configuration (.tf files) in " + dir}},
		{"source with a syntax error", []string{"check", "--env", stg, "--env", prd, "--source", "production=" + brokenTF}, []string{"environment production", filepath.Join(brokenTF, "main.tf") + ":2:11", "Invalid expression"}},
		{"config source missing", []string{"check", "--env", stg, "--env", prd, "--config", missingSource}, []string{"environment production", filepath.Join(dir, "envs", "production"), "no such file"}},
		{"bad --source", []string{"check", "--env", stg, "--env", prd, "--source", "staging="}, []string{"expected NAME=DIR"}},
		{"two formats on stdout", []string{"check", "--env", stg, "--env", prd, "--format", "json", "--format", "sarif"}, []string{"json and sarif would both write to standard output", "--format sarif=lockstep.sarif"}},
		{"errored plan", []string{"check", "--env", stg, "--env", "production=testdata/errored.plan.json"}, []string{"errored.plan.json", "errored"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("printed a report on error:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "lockstep ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
