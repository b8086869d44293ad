package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const localTF = `
resource "terraform_data" "app" {
  input = { tier = "web", size = terraform.workspace == "production" ? "large" : "small" }
}
`

// appliedWorkspaces is a local-backend directory of localTF with workspaces
// staging and production, both applied.
func appliedWorkspaces(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(localTF), 0o644); err != nil {
		t.Fatal(err)
	}
	liveTerraform(t, dir, nil, "init", "-input=false")
	for _, ws := range []string{"staging", "production"} {
		liveTerraform(t, dir, nil, "workspace", "new", ws)
		liveTerraform(t, dir, nil, "apply", "-auto-approve", "-input=false")
	}
	return dir
}

// TestLivePlan: --plan on a directory's workspaces finds what the plans
// made by hand (terraform plan -out, show -json) do.
func TestLivePlan(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(localTF), 0o644); err != nil {
		t.Fatal(err)
	}
	liveTerraform(t, dir, nil, "init", "-input=false")
	var fileArgs []string
	for _, ws := range []string{"staging", "production"} {
		liveTerraform(t, dir, nil, "workspace", "new", ws)
		plan := filepath.Join(t.TempDir(), "plan.out")
		liveTerraform(t, dir, []string{"TF_WORKSPACE=" + ws}, "plan", "-input=false", "-out="+plan)
		js := liveTerraform(t, dir, []string{"TF_WORKSPACE=" + ws}, "show", "-json", plan)
		p := filepath.Join(t.TempDir(), ws+".json")
		if err := os.WriteFile(p, []byte(js), 0o600); err != nil {
			t.Fatal(err)
		}
		fileArgs = append(fileArgs, "--env", ws+"="+p)
	}
	findings := func(args ...string) []any {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"check", "--format", "json", "--fail-on", "never"}, args...), &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		var rep struct{ Findings []any }
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		return rep.Findings
	}
	live := findings("--plan", "--env", "staging="+dir, "--env", "production="+dir)
	files := findings(append(fileArgs, "--source", dir)...)
	if len(live) == 0 || !reflect.DeepEqual(live, files) {
		t.Errorf("findings differ:\nlive  %v\nfiles %v", live, files)
	}
}

// TestLiveErrors: a directory input that cannot be read, and bad flags,
// exit 2 with a message naming the environment and the fix.
func TestLiveErrors(t *testing.T) {
	uninit := t.TempDir()
	if err := os.WriteFile(filepath.Join(uninit, "main.tf"), []byte("terraform {\n  backend \"pg\" {}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	liveTerraform(t, uninit, nil, "version") // skips without Terraform
	local := t.TempDir()
	if err := os.WriteFile(filepath.Join(local, "main.tf"), []byte(localTF), 0o644); err != nil {
		t.Fatal(err)
	}
	liveTerraform(t, local, nil, "init", "-input=false")
	liveTerraform(t, local, nil, "workspace", "new", "staging")
	liveTerraform(t, local, nil, "apply", "-auto-approve", "-input=false")
	for _, tc := range []struct {
		name string
		args []string
		says []string
	}{
		{"not initialised", []string{"--env", "staging=" + uninit, "--env", "production=" + uninit}, []string{`environment "staging"`, "terraform init"}},
		{"workspace missing", []string{"--env", "staging=" + local, "--env", "production=" + local}, []string{`workspace "production" does not exist`, "default, staging"}},
		{"bad parallelism", []string{"--env", "a=x", "--env", "b=y", "--parallelism", "-1"}, []string{"--parallelism -1"}},
		{"bad timeout", []string{"--env", "a=x", "--env", "b=y", "--input-timeout", "0s"}, []string{"--input-timeout"}},
		{"terraform not there", []string{"--env", "a=x", "--env", "b=y", "--terraform", filepath.Join(local, "nope")}, []string{"--terraform", "nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"check"}, tc.args...), &stdout, &stderr)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, stderr.String())
			}
			for _, s := range tc.says {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			if stdout.Len() != 0 || strings.Contains(stderr.String(), "\x1b[") {
				t.Errorf("progress or output printed: %q", stdout.String()+stderr.String())
			}
		})
	}
}

// TestLivePlanDroppedVariables: TF_VAR_ variables, which plans run by
// lockstep do not get, are named on stderr in plan mode with the way to
// pass them, unless --quiet is given, and their values never printed.
func TestLivePlanDroppedVariables(t *testing.T) {
	dir := appliedWorkspaces(t)
	const value = "tf-var-value-never-printed"
	for _, tc := range []struct {
		name  string
		vars  bool
		plan  bool
		quiet bool
		warn  bool
	}{
		{"plan with TF_VAR_", true, true, false, true},
		{"plan with TF_VAR_, --quiet", true, true, true, false},
		{"state with TF_VAR_", true, false, false, false},
		{"plan without", false, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.vars {
				t.Setenv("TF_VAR_db_password", value)
				t.Setenv("TF_VAR_api_token", value)
			}
			args := []string{"check", "--format", "json", "--fail-on", "never", "--env", "staging=" + dir, "--env", "production=" + dir}
			if tc.plan {
				args = append(args, "--plan")
			}
			if tc.quiet {
				args = append(args, "--quiet")
			}
			var stdout, stderr bytes.Buffer
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			want := "lockstep: warning: the plans of staging, production do not get TF_VAR_api_token, TF_VAR_db_password: "
			if got := strings.Contains(stderr.String(), want) && strings.Contains(stderr.String(), "vars or var_files"); got != tc.warn {
				t.Errorf("warning shown %v, want %v:\n%s", got, tc.warn, stderr.String())
			}
			if strings.Contains(stdout.String()+stderr.String(), value) {
				t.Error("a TF_VAR_ value is printed")
			}
		})
	}
}
