package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/output"
)

const scenarios = "../../testdata/scenarios"

// kinds are the three inputs every scenario is written in.
var kinds = []struct{ name, ext string }{
	{"plan", "plan.json"},
	{"state", "state.json"},
	{"raw", "tfstate"},
}

// asOf is the day every scenario is checked as of, so that waiver expiry in
// the golden files does not depend on when the tests run.
const asOf = "2026-11-21"

type scenarioCase struct {
	scenario string
	// envs are the environments in promotion order, each an ENV.* file;
	// staging and production when empty.
	envs   []string
	target string
	config bool
	// warnOnly is set when every expected finding is a warning (exit 0).
	warnOnly bool
	// want are the (rule, address) pairs expected per input kind; the golden
	// files hold the full reports.
	want map[string][]string
}

// The findings each scenario must give, no more and no fewer. State inputs
// carry no plan, so scenarios about plans are silent there, except where the
// states themselves differ.
var scenarioCases = []scenarioCase{
	{scenario: "a-staging-only-change", want: map[string][]string{
		"plan":  {"attribute-divergence terraform_data.db", "missing-resource terraform_data.feature_flag[0]"},
		"state": {"attribute-divergence terraform_data.db", "missing-resource terraform_data.feature_flag[0]"},
		"raw":   {"attribute-divergence terraform_data.db", "missing-resource terraform_data.feature_flag[0]"},
	}},
	{scenario: "b-pr-changes-staging-only", want: map[string][]string{
		"plan":  {"one-sided-change terraform_data.db", `one-sided-change terraform_data.svc["worker"]`},
		"state": {},
		"raw":   {},
	}},
	{scenario: "c-promotion-before", target: "production", want: map[string][]string{
		"plan":  {"promotion-order terraform_data.db"},
		"state": {},
		"raw":   {},
	}},
	{scenario: "c-promotion-after", target: "production", want: map[string][]string{
		"plan": {},
		// Without the plans, staging's applied upgrade is a plain divergence.
		"state": {"attribute-divergence terraform_data.db"},
		"raw":   {"attribute-divergence terraform_data.db"},
	}},
	{scenario: "d-declared-differences", target: "production", config: true, want: map[string][]string{
		"plan":  {},
		"state": {},
		"raw":   {},
	}},
	// Production's app was given staging's network id.
	{scenario: "e-cross-env-reference", want: map[string][]string{
		"plan":  {"cross-env-reference terraform_data.app[0]"},
		"state": {"cross-env-reference terraform_data.app[0]"},
		"raw":   {"cross-env-reference terraform_data.app[0]"},
	}},
	// Terraform 1.11.4 vs 1.5.5, provider lock files, and a module source
	// that only plans carry (configuration.module_calls).
	{scenario: "f-version-skew", config: true, warnOnly: true, want: map[string][]string{
		"plan":  {"version-skew ", "version-skew ", "version-skew "},
		"state": {"version-skew ", "version-skew "},
		"raw":   {"version-skew ", "version-skew "},
	}},
	{scenario: "g-shared-secret", want: map[string][]string{
		"plan":  {"shared-secret terraform_data.db"},
		"state": {"shared-secret terraform_data.db"},
		"raw":   {"shared-secret terraform_data.db"},
	}},
	// A valid waiver (the db divergence is waived), an expired one (the
	// feature flag is reported, and so is the waiver) and a stale one.
	{scenario: "h-waivers", config: true, want: map[string][]string{
		"plan":  {"attribute-divergence terraform_data.db", "expired-waiver ", "expired-waiver ", "missing-resource terraform_data.feature_flag[0]"},
		"state": {"attribute-divergence terraform_data.db", "expired-waiver ", "expired-waiver ", "missing-resource terraform_data.feature_flag[0]"},
		"raw":   {"attribute-divergence terraform_data.db", "expired-waiver ", "expired-waiver ", "missing-resource terraform_data.feature_flag[0]"},
	}},
	// A root module per environment (envs/staging, envs/production), a
	// shared local module and a remote one installed by terraform init.
	{scenario: "i-dir-per-env", want: map[string][]string{
		"plan":  {"attribute-divergence module.net.terraform_data.vpc", "attribute-divergence terraform_data.db", "one-sided-change module.service.terraform_data.deployment"},
		"state": {"attribute-divergence module.net.terraform_data.vpc", "attribute-divergence terraform_data.db"},
		"raw":   {"attribute-divergence module.net.terraform_data.vpc", "attribute-divergence terraform_data.db"},
	}},
	// `sensitive = true` in staging only: production's values are hidden
	// too. The same token and key map are shared secrets; the different
	// passwords are no difference.
	{scenario: "j-cross-env-sensitive", want: map[string][]string{
		"plan":  {"shared-secret terraform_data.acl", "shared-secret terraform_data.api"},
		"state": {"shared-secret terraform_data.acl", "shared-secret terraform_data.api"},
		"raw":   {"shared-secret terraform_data.acl", "shared-secret terraform_data.api"},
	}},
	// Issue 16. Three environments: production's engine upgrade makes its
	// db's whole output unknown, which is not a change of
	// output.instance_class (dev and staging differ there on their own);
	// staging's plan converges on dev's LOG_LEVEL, production's diverges.
	{scenario: "p-three-envs", envs: []string{"dev", "staging", "production"}, want: map[string][]string{
		"plan":  {"attribute-divergence terraform_data.db", "one-sided-change terraform_data.app"},
		"state": {"attribute-divergence terraform_data.app", "attribute-divergence terraform_data.db"},
		"raw":   {"attribute-divergence terraform_data.app", "attribute-divergence terraform_data.db"},
	}},
	// Module calls named after their environment (module.app_staging,
	// module.app_prod with alias prod) are one call: no version-skew.
	{scenario: "q-module-call-tokens", config: true, want: map[string][]string{
		"plan":  {"attribute-divergence terraform_data.db"},
		"state": {"attribute-divergence terraform_data.db"},
		"raw":   {"attribute-divergence terraform_data.db"},
	}},
	// One root cause, one finding: promotion-order over one-sided-change,
	// cross-env-reference over missing-resource (each keeps the other in
	// details.related).
	{scenario: "r-one-root-cause", target: "production", want: map[string][]string{
		"plan":  {"cross-env-reference terraform_data.replica[0]", "promotion-order terraform_data.db"},
		"state": {"cross-env-reference terraform_data.replica[0]"},
		"raw":   {"cross-env-reference terraform_data.replica[0]"},
	}},
	// Issue 16. Production's values name staging (or stg), its secret
	// too; staging's REPORTS_DB names production. The shared archive and
	// look-alike words are not references.
	{scenario: "k-env-name-in-value", config: true, want: map[string][]string{
		"plan":  kFindings,
		"state": kFindings,
		"raw":   kFindings,
	}},
	// Production's URL, JSON list, connection string and peer address
	// embed staging's network id.
	{scenario: "l-embedded-identifier", want: map[string][]string{
		"plan":  {"cross-env-reference terraform_data.app"},
		"state": {"cross-env-reference terraform_data.app"},
		"raw":   {"cross-env-reference terraform_data.app"},
	}},
	// Sets of security group ids in another order per environment: only
	// the real differences (api lacks monitoring, worker has db instead).
	{scenario: "m-reference-sets", want: map[string][]string{
		"plan":  mFindings,
		"state": mFindings,
		"raw":   mFindings,
	}},
}

var (
	kFindings = []string{"attribute-divergence terraform_data.orders", "cross-env-reference terraform_data.client",
		"cross-env-reference terraform_data.orders", "cross-env-reference terraform_data.orders"}
	mFindings = []string{`attribute-divergence terraform_data.instance["api"]`, `attribute-divergence terraform_data.instance["worker"]`}
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func scenarioArgs(c scenarioCase, ext string) []string {
	return scenarioArgsIn(scenarios, c, ext)
}

// scenarioArgsIn is scenarioArgs for scenarios written to another directory.
func scenarioArgsIn(root string, c scenarioCase, ext string) []string {
	dir := filepath.Join(root, c.scenario)
	args := []string{"check", "--as-of", asOf}
	for _, env := range c.envNames() {
		args = append(args, "--env", env+"="+filepath.Join(dir, env+"."+ext))
	}
	if c.target != "" {
		args = append(args, "--target", c.target)
	}
	if c.config {
		args = append(args, "--config", filepath.Join(dir, "lockstep.hcl"))
	}
	return args
}

// envNames are the scenario's environments in promotion order.
func (c scenarioCase) envNames() []string {
	if len(c.envs) == 0 {
		return []string{"staging", "production"}
	}
	return c.envs
}

type jsonReport struct {
	Findings []struct {
		Rule, Address string
		Waived        bool
	}
	Summary struct{ Errors, Warnings, Waived int }
}

func TestScenarios(t *testing.T) {
	for _, c := range scenarioCases {
		for _, k := range kinds {
			t.Run(c.scenario+"/"+k.name, func(t *testing.T) {
				code, out, errOut := runCLI(t, append(scenarioArgs(c, k.ext), "--format", "json")...)
				if errOut != "" {
					t.Errorf("stderr: %s", errOut)
				}
				var rep jsonReport
				if err := json.Unmarshal([]byte(out), &rep); err != nil {
					t.Fatalf("output is not JSON: %v\n%s", err, out)
				}
				got := []string{}
				for _, f := range rep.Findings {
					got = append(got, f.Rule+" "+f.Address)
				}
				want := c.want[k.name]
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("findings:\n got %q\nwant %q", got, want)
				}
				wantCode := 0
				if len(want) > 0 && !c.warnOnly {
					wantCode = 1
				}
				if code != wantCode {
					t.Errorf("exit code %d, want %d", code, wantCode)
				}
				golden.Assert(t, filepath.Join(c.scenario, k.name+".json"), []byte(out))
			})
		}
	}
}

// TestTextOutput pins the terminal rendering of each scenario's plan check.
func TestTextOutput(t *testing.T) {
	for _, c := range scenarioCases {
		t.Run(c.scenario, func(t *testing.T) {
			_, out, _ := runCLI(t, scenarioArgs(c, "plan.json")...)
			for i, line := range strings.Split(out, "\n") {
				if n := len([]rune(line)); n > output.DefaultTextWidth {
					t.Errorf("line %d is %d columns wide: %q", i+1, n, line)
				}
			}
			golden.Assert(t, filepath.Join(c.scenario, "plan.txt"), []byte(out))
		})
	}
}

// planOnlyRules judge what only a plan carries (its changes, its drift), so
// state inputs are silent about them.
var planOnlyRules = map[string]bool{"one-sided-change": true, "promotion-order": true, "out-of-band-drift": true}

// planAddsFacts names the scenarios whose plans carry more than the plan-only
// rules read, with the reason: there the plan's findings differ from the
// states' on purpose.
var planAddsFacts = map[string]string{
	"c-promotion-after": "production's plan upgrades the database, so the states' divergence is resolved",
	"f-version-skew":    "module sources are in plans only (configuration.module_calls)",
	"p-three-envs":      "the plans upgrade production's engine and move staging's and production's LOG_LEVEL",
}

// TestInputKindsAgree checks that plan JSON, state JSON and raw state give
// the same findings where they carry the same information: the current
// state. State JSON and raw state must agree in full; a plan must agree
// with them once the findings of the plan-only rules are left out.
func TestInputKindsAgree(t *testing.T) {
	findings := func(t *testing.T, c scenarioCase, ext string, skip map[string]bool) string {
		t.Helper()
		_, out, _ := runCLI(t, append(scenarioArgs(c, ext), "--format", "json")...)
		var rep struct{ Findings []map[string]any }
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		kept := []map[string]any{}
		for _, f := range rep.Findings {
			if rule, _ := f["rule"].(string); !skip[rule] {
				kept = append(kept, f)
			}
		}
		b, err := json.MarshalIndent(kept, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, c := range scenarioCases {
		t.Run(c.scenario, func(t *testing.T) {
			state := findings(t, c, kinds[1].ext, nil)
			if raw := findings(t, c, kinds[2].ext, nil); raw != state {
				t.Errorf("state JSON and raw state disagree:\n%s\n%s", state, raw)
			}
			plan := findings(t, c, kinds[0].ext, planOnlyRules)
			if reason, ok := planAddsFacts[c.scenario]; ok {
				if plan == state {
					t.Errorf("plan and state agree, but planAddsFacts says they differ: %s", reason)
				}
				return
			}
			if plan != state {
				t.Errorf("plan JSON (plan-only rules left out) and state JSON disagree:\n%s\n%s", plan, state)
			}
		})
	}
}

// TestFailOn runs a scenario with warnings and no errors, so each level
// gives a different answer: error passes, warning fails, never passes.
func TestFailOn(t *testing.T) {
	var c scenarioCase
	for _, sc := range scenarioCases {
		if sc.scenario == "f-version-skew" {
			c = sc
		}
	}
	if !c.warnOnly || len(c.want["plan"]) == 0 {
		t.Fatalf("f-version-skew must give warnings only: %+v", c)
	}
	for _, tc := range []struct {
		failOn string
		want   int
	}{{"", 0}, {"error", 0}, {"warning", 1}, {"never", 0}} {
		args := scenarioArgs(c, "plan.json")
		if tc.failOn != "" {
			args = append(args, "--fail-on", tc.failOn)
		}
		code, _, _ := runCLI(t, args...)
		if code != tc.want {
			t.Errorf("--fail-on %q: exit %d, want %d", tc.failOn, code, tc.want)
		}
	}
}

// requireTerraform returns the terraform binary, failing in CI (where
// .ci/run installs it) and skipping elsewhere.
func requireTerraform(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("terraform")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("terraform is not on PATH; .ci/run installs it (go install github.com/hashicorp/terraform@v1.5.7)")
		}
		t.Skip("terraform is not on PATH")
	}
	return p
}

// TestLockFileBesideInput checks that a .terraform.lock.hcl in an input's
// directory is read without any lockstep.hcl, as it is in a Terraform
// working directory, and that environments without one are left out.
func TestLockFileBesideInput(t *testing.T) {
	src := filepath.Join(scenarios, "f-version-skew")
	dir := t.TempDir()
	copyFile := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, env := range []string{"staging", "production"} {
		copyFile(filepath.Join(src, env+".state.json"), filepath.Join(dir, env, "state.json"))
	}
	args := []string{"check", "--format", "json",
		"--env", "staging=" + filepath.Join(dir, "staging", "state.json"),
		"--env", "production=" + filepath.Join(dir, "production", "state.json")}
	providerSkew := func() bool {
		t.Helper()
		_, out, errOut := runCLI(t, args...)
		if errOut != "" {
			t.Fatalf("stderr: %s", errOut)
		}
		return strings.Contains(out, `"kind": "provider"`) && strings.Contains(out, "hashicorp/null version differs: staging 3.2.4, production 3.2.3")
	}
	copyFile(filepath.Join(src, "staging.terraform.lock.hcl"), filepath.Join(dir, "staging", ".terraform.lock.hcl"))
	if providerSkew() {
		t.Error("one lock file: nothing to compare it with, yet provider skew was reported")
	}
	copyFile(filepath.Join(src, "production.terraform.lock.hcl"), filepath.Join(dir, "production", ".terraform.lock.hcl"))
	if !providerSkew() {
		t.Error("lock files beside the inputs were not read")
	}
}

// TestMain keeps the tests' github-format runs out of the job summary of
// the CI run executing them: GitHub sets GITHUB_STEP_SUMMARY for the step,
// and tests that want one set their own.
func TestMain(m *testing.M) {
	os.Unsetenv("GITHUB_STEP_SUMMARY")
	os.Exit(m.Run())
}
