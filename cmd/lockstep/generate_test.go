package main

import (
	"encoding/json"
	"os"
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
	requireTerraformOld(t)
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	t.Parallel() // beside TestGenerateOpenTofu: both mostly wait on terraform and tofu
	out := t.TempDir()
	// The OpenTofu variants are TestGenerateOpenTofu's.
	var only []string
	for _, c := range scenarioCases {
		only = append(only, c.scenario)
	}
	cmd := exec.Command("bash", "../../testdata/generate.sh", out)
	cmd.Env = append(os.Environ(), "ONLY="+strings.Join(only, " "))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate.sh: %v\n%s", err, b)
	}
	for _, c := range scenarioCases {
		for _, k := range kinds {
			args := append(scenarioArgsIn(out, c, k.ext), "--format", "json")
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

// requireTerraformOld finds the second Terraform version that the
// version-skew scenario is planned with: $TERRAFORM_OLD, or the v1.5.5 that
// .ci/run builds. Missing, it fails in CI and skips elsewhere.
func requireTerraformOld(t *testing.T) {
	t.Helper()
	p := os.Getenv("TERRAFORM_OLD")
	if p == "" {
		out, err := exec.Command("go", "env", "GOPATH").Output()
		if err != nil {
			t.Fatalf("go env GOPATH: %v", err)
		}
		p = filepath.Join(strings.TrimSpace(string(out)), "terraform-v1.5.5", "terraform")
	}
	if _, err := os.Stat(p); err != nil {
		msg := "second Terraform for f-version-skew not found at " + p +
			"; build it with GOBIN=$(go env GOPATH)/terraform-v1.5.5 go install github.com/hashicorp/terraform@v1.5.5 (.ci/run does)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}
