package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLivePlanScenarios: `--plan` on a scenario's working directory gives
// the report of the committed plan JSON. generate.sh recreates the
// directory (KEEP_WORK keeps what it applies and plans), lockstep plans its
// workspaces with the var files generate.sh planned them with, and the
// reports must agree but for where the environments were read from.
func TestLivePlanScenarios(t *testing.T) {
	requireTerraform(t)
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	cases := []struct {
		scenario string
		varFile  map[string]string // environment: the suffix of the var file its plan used
	}{
		{"a-staging-only-change", map[string]string{"staging": "", "production": ""}},
		{"b-pr-changes-staging-only", map[string]string{"staging": "-next", "production": ""}},
	}
	work := t.TempDir()
	only := ""
	for _, c := range cases {
		only += c.scenario + " "
	}
	cmd := exec.Command("bash", "../../testdata/generate.sh", t.TempDir())
	cmd.Env = append(os.Environ(), "ONLY="+only, "KEEP_WORK="+work)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate.sh: %v\n%s", err, b)
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			dir := filepath.Join(work, c.scenario)
			conf := filepath.Join(t.TempDir(), "lockstep.hcl")
			hcl := ""
			for _, env := range []string{"staging", "production"} {
				vf := filepath.Join(dir, "vars", c.scenario+"-"+env+c.varFile[env]+".tfvars")
				hcl += fmt.Sprintf("environment %q {\n  var_files = [%q]\n}\n", env, filepath.ToSlash(vf))
			}
			if err := os.WriteFile(conf, []byte(hcl), 0o644); err != nil {
				t.Fatal(err)
			}
			committed := filepath.Join(scenarios, c.scenario)
			live := scenarioReport(t, "--plan", "--config", conf, "--env", "staging="+dir, "--env", "production="+dir)
			files := scenarioReport(t, "--env", "staging="+filepath.Join(committed, "staging.plan.json"),
				"--env", "production="+filepath.Join(committed, "production.plan.json"), "--source", dir,
				// The same var files, so both point at the lines that set
				// the values (issue 17).
				"--config", conf)
			if len(live["findings"].([]any)) == 0 {
				t.Fatal("no findings: the test compares nothing")
			}
			for _, k := range []string{"environments", "findings", "summary"} {
				if !reflect.DeepEqual(live[k], files[k]) {
					t.Errorf("%s differ:\nplanned   %v\ncommitted %v", k, live[k], files[k])
				}
			}
		})
	}
}

// scenarioReport runs check with JSON output and returns the report with
// each environment's source, sha256 and read_from removed: they say where
// the environment was read from, which is what differs. terraform_version
// goes too: the committed plans were made by the Terraform that ran
// generate.sh, the test's plans by the one on PATH (CI builds 1.5.7); and
// tool, which the binary that ran tells for a plan lockstep makes, and
// nothing tells for the committed files of built-in providers only.
func scenarioReport(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"check", "--format", "json", "--fail-on", "never"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, e := range rep["environments"].([]any) {
		for _, k := range []string{"source", "sha256", "read_from", "terraform_version", "tool"} {
			delete(e.(map[string]any), k)
		}
	}
	return rep
}
