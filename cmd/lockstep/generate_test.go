package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateScript regenerates every scenario with real Terraform into a
// temporary directory and checks that lockstep gives the same findings as on
// the committed fixtures: the fixtures are reproducible, and the findings do
// not hinge on ids or timestamps that change on every apply.
func TestGenerateScript(t *testing.T) {
	requireTerraform(t)
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", "../../testdata/generate.sh", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate.sh: %v\n%s", err, b)
	}
	for _, c := range scenarioCases {
		for _, k := range kinds {
			dir := filepath.Join(out, c.scenario)
			args := []string{"check", "--format", "json",
				"--env", "staging=" + filepath.Join(dir, "staging."+k.ext),
				"--env", "production=" + filepath.Join(dir, "production."+k.ext)}
			if c.target != "" {
				args = append(args, "--target", c.target)
			}
			if c.config {
				args = append(args, "--config", filepath.Join(dir, "lockstep.hcl"))
			}
			_, stdout, stderr := runCLI(t, args...)
			var rep jsonReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("%s/%s: %v: %s", c.scenario, k.name, err, stderr)
			}
			got := []string{}
			for _, f := range rep.Findings {
				got = append(got, f.Rule+" "+f.Address)
			}
			if strings.Join(got, "\n") != strings.Join(c.want[k.name], "\n") {
				t.Errorf("%s/%s regenerated: got %q, want %q", c.scenario, k.name, got, c.want[k.name])
			}
		}
	}
}
