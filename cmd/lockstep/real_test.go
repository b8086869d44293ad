package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

const realFixtures = "../../testdata/real"

// realInputErrors are the corpus files that are deliberately unreadable
// (see testdata/real/SOURCES.md): each must give a clean input error, every
// other file a report.
var realInputErrors = map[string]string{
	"driftctl/invalid.tfstate":                   "malformed JSON at line 16, column 7",
	"infracost/plan_with_terraform_wrapper.json": "setup-terraform's wrapper",
	"terraform-json/invalid/state.json":          "malformed JSON at line 12, column 28",
	"terraform/v3-grabbag.in.tfstate":            "raw state version 3 is too old",
	"tf-plan-format/artificial-invalid.json":     "resource_changes should be an array, found string",
	// Edited upstream after Terraform wrote them: a rename of
	// bucket_policy_only left uniform_bucket_level_access twice.
	"terraform-validator/tf0_12plan.applied.json": "an object has the same key twice",
	"terraform-validator/tf1_0plan.applied.json":  "an object has the same key twice",
}

func realFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(realFixtures, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".tfstate")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) < 50 {
		t.Fatalf("found only %d fixture files under %s", len(files), realFixtures)
	}
	return files
}

// selfFindings are the rules that may fire when a file is compared with
// itself.
var selfFindings = map[string]bool{"out-of-band-drift": true, "shared-secret": true}

// TestRealFixtures runs every real plan and state through check, paired with
// itself (deliberately, so --allow-identical-inputs): each must give a
// report (and, compared with itself, no findings) or a clean one-line input
// error with exit code 2, never a panic.
func TestRealFixtures(t *testing.T) {
	var summary strings.Builder
	for _, f := range realFiles(t) {
		rel, _ := filepath.Rel(realFixtures, f)
		rel = filepath.ToSlash(rel)
		code, out, errOut := runCLI(t, "check", "--allow-identical-inputs", "--env", "staging="+f, "--env", "production="+f, "--format", "json")
		if want, isErr := realInputErrors[rel]; isErr {
			if code != 2 || out != "" {
				t.Errorf("%s: exit %d with output %q, want an input error", rel, code, out)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 || !strings.Contains(errOut, f) || !strings.Contains(errOut, want) {
				t.Errorf("%s: error should be one line naming the file and saying %q, got:\n%s", rel, want, errOut)
			}
			fmt.Fprintf(&summary, "%s: input error\n", rel)
			continue
		}
		var rep jsonReport
		if code > 1 || errOut != "" || json.Unmarshal([]byte(out), &rep) != nil {
			t.Errorf("%s: exit %d, stderr %q: want a report", rel, code, errOut)
			continue
		}
		// A file compared with itself is in parity. What it may still
		// report is about each environment on its own (drift) or about the
		// pair being one (the same secrets in both).
		byRule := map[string]int{}
		for _, f := range rep.Findings {
			if !selfFindings[f.Rule] {
				t.Errorf("%s compared with itself gives %s %s", rel, f.Rule, f.Address)
			}
			byRule[f.Rule]++
		}
		fmt.Fprintf(&summary, "%s: report", rel)
		for _, rule := range slices.Sorted(maps.Keys(byRule)) {
			fmt.Fprintf(&summary, ", %s %d", rule, byRule[rule])
		}
		summary.WriteString("\n")
	}
	golden.Assert(t, "real-fixtures.txt", []byte(summary.String()))
}

// TestRealPairs runs the real environment groups from one configuration.
// The findings are pinned in a golden file; a reviewer has read each one.
func TestRealPairs(t *testing.T) {
	r := func(p string) string { return filepath.Join(realFixtures, p) }
	drift := func(p string) string { return filepath.Join("../../testdata/samples/drift", p) }
	pairs := []struct {
		name string
		envs []string
		// want is the exit code; the golden file pins every finding.
		want int
	}{
		{"logos-trio", []string{"development=" + r("logos-envs/development.terraform.tfstate"), "staging=" + r("logos-envs/staging.terraform.tfstate"), "production=" + r("logos-envs/production.terraform.tfstate")}, 0},
		{"sensitive-values-state-vs-raw", []string{"staging=" + r("terraform-json/110_sensitive_values/state.json"), "production=" + r("terraform-json/110_sensitive_values/terraform.tfstate")}, 0},
		{"tf-summarize-state-vs-plan", []string{"staging=" + r("tf-summarize/terraform.tfstate"), "production=" + r("tf-summarize/tfplan.json")}, 1},
		{"regula-0.12-vs-0.15", []string{"staging=" + r("regula/tfplan.0.12.json"), "production=" + r("regula/tfplan.0.15.json")}, 0},
		{"regula-0.12-to-0.15", []string{"a=" + r("regula/tfplan.0.12.json"), "b=" + r("regula/tfplan.0.13.json"), "c=" + r("regula/tfplan.0.14.json"), "d=" + r("regula/tfplan.0.15.json")}, 0},
		{"sensitive-values-plan-vs-state", []string{"staging=" + r("terraform-json/110_sensitive_values/state.json"), "production=" + r("terraform-json/110_sensitive_values/plan.json")}, 0},
		{"has-checks-state-vs-plan", []string{"staging=" + r("terraform-json/has_checks/state.json"), "production=" + r("terraform-json/has_checks/plan.json")}, 0},
		// The state and the plan hold different resources, written by
		// different Terraform versions.
		{"identity-state-vs-plan", []string{"staging=" + r("terraform-json/identity/state.json"), "production=" + r("terraform-json/identity/plan.json")}, 1},
		// The plan's moved block renames random_id.test to test2; the state
		// still has the old address. One resource, not one missing each side.
		{"moved-block-show-vs-plan", []string{"staging=" + r("terraform-json/moved_block/show.json"), "production=" + r("terraform-json/moved_block/plan.json")}, 0},
		// One environment's state and its own plan: the plan's changes are
		// one-sided against the bare state, and the secrets are shared
		// because it is the same environment.
		{"azuredevops-state-vs-plan", []string{"staging=" + r("tfplan2md/azuredevops/terraform.tfstate"), "production=" + r("tfplan2md/azuredevops/terraform_plan.json")}, 1},
		// Drift, which terraform_data cannot make: Terraform 1.11.4 plans of a
		// test provider (testdata/samples/drift). Both environments saw
		// drift_thing.a changed and drift_thing.gone deleted outside
		// Terraform (4 warnings); the normal plan also reverts them, which
		// the refresh-only plan does not (2 one-sided-change errors).
		{"drift-plan-vs-refresh-only", []string{"staging=" + drift("plan-drift.json"), "production=" + drift("plan-refresh-only.json")}, 1},
		// Refresh-only in both (one file, so --allow-identical-inputs): only
		// the drift, as warnings.
		{"drift-refresh-only-both", []string{"staging=" + drift("plan-refresh-only.json"), "production=" + drift("plan-refresh-only.json")}, 0},
		// The 0.12 plan creates 12 resources its state lacks: 12 real
		// one-sided-change findings.
		{"infracost-0.12-plan-vs-state", []string{"staging=" + r("infracost/terraform_v0.12_state.json"), "production=" + r("infracost/terraform_v0.12_plan.json")}, 1},
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			args := []string{"check", "--format", "json", "--allow-identical-inputs"}
			for _, e := range p.envs {
				args = append(args, "--env", e)
			}
			code, out, errOut := runCLI(t, args...)
			if code == 2 || errOut != "" {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if code != p.want {
				t.Errorf("exit %d, want %d", code, p.want)
			}
			golden.Assert(t, filepath.Join("real", p.name+".json"), []byte(out))
		})
	}
}

// TestSecretsNeverPrinted greps every output of every scenario, in every
// format and on both streams, for the passwords the scenarios were built
// with. Terraform writes them in clear text in plans and states, marked in
// one place and unmarked in another.
func TestSecretsNeverPrinted(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(scenarios, "secrets.txt"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := strings.Fields(string(raw))
	if len(secrets) < 8 {
		t.Fatalf("secrets.txt lists %d secrets", len(secrets))
	}
	// The fixtures must really contain them, or this test proves nothing.
	for _, name := range []string{"staging.plan.json", "production.tfstate"} {
		sample, _ := os.ReadFile(filepath.Join(scenarios, "a-staging-only-change", name))
		found := false
		for _, s := range secrets {
			found = found || strings.Contains(string(sample), s)
		}
		if !found {
			t.Fatalf("%s contains none of the secrets; the test would be vacuous", name)
		}
	}
	for _, c := range scenarioCases {
		for _, k := range kinds {
			for _, withConfig := range []bool{false, true} {
				cc := c
				cc.config = withConfig && c.config
				// Every format in one run (github on stdout, the others
				// in files, the job summary too), with the sources.
				r := runFormats(t, cc, k.ext, true)
				outputs := map[string][]byte{"stdout (github)": []byte(r.stdout), "stderr": []byte(r.stderr), "GITHUB_STEP_SUMMARY": r.summary}
				for ext, b := range r.files {
					outputs[ext] = b
				}
				if len(outputs) != 3+len(formatFiles) {
					t.Fatalf("%d outputs", len(outputs))
				}
				for name, b := range outputs {
					for _, s := range secrets {
						if bytes.Contains(b, []byte(s)) {
							t.Errorf("%s/%s (config %v): %s prints secret %q", c.scenario, k.name, cc.config, name, s)
						}
					}
				}
			}
		}
	}
	// Mixing input kinds and scenarios maximises the differences shown.
	_, out, errOut := runCLI(t, "check", "--format", "json",
		"--env", "staging="+filepath.Join(scenarios, "a-staging-only-change", "staging.tfstate"),
		"--env", "production="+filepath.Join(scenarios, "b-pr-changes-staging-only", "production.plan.json"))
	for _, s := range secrets {
		if strings.Contains(out+errOut, s) {
			t.Errorf("mixed check prints secret %q", s)
		}
	}
	if !strings.Contains(out, `"attribute-divergence"`) {
		t.Errorf("the mixed report should show divergences, or this check proves little:\n%s", out)
	}
}
