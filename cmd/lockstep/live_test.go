package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/pgtest"
	"github.com/lockstep-iac/lockstep/workdir"
)

// liveTF differs between the workspaces, so the environments have
// findings to compare.
const liveTF = `
terraform {
  backend "pg" {}
}

resource "terraform_data" "app" {
  input = { tier = "web", size = terraform.workspace == "production" ? "large" : "small" }
}

resource "terraform_data" "db" {
  input = { engine = "postgres", password = sensitive("pw-${terraform.workspace}-long-secret") }
}
`

func liveTerraform(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	bin, err := workdir.FindTerraform("", os.Getenv)
	if err != nil || bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("terraform is required in CI")
		}
		t.Skip("skipped: terraform not found on PATH")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// TestLivePgBackend: --env staging=DIR --env production=DIR on a real pg
// backend finds what the exported state files of the same workspaces do,
// records how each was read in the JSON report, and never prints the
// secret.
func TestLivePgBackend(t *testing.T) {
	srv := pgtest.Start(t)
	t.Setenv("PG_CONN_STR", srv.ConnStr("Pa55-never-printed"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(liveTF), 0o644); err != nil {
		t.Fatal(err)
	}
	liveTerraform(t, dir, nil, "init", "-input=false")
	exported := t.TempDir()
	var fileArgs []string
	for _, ws := range []string{"staging", "production"} {
		liveTerraform(t, dir, nil, "workspace", "new", ws)
		liveTerraform(t, dir, nil, "apply", "-auto-approve", "-input=false")
		state := liveTerraform(t, dir, []string{"TF_WORKSPACE=" + ws}, "state", "pull")
		p := filepath.Join(exported, ws+".tfstate")
		if err := os.WriteFile(p, []byte(state), 0o600); err != nil {
			t.Fatal(err)
		}
		fileArgs = append(fileArgs, "--env", ws+"="+p)
	}

	check := func(args ...string) (map[string]any, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"check", "--format", "json", "--fail-on", "never"}, args...), &stdout, &stderr)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		var rep map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		return rep, stdout.String() + stderr.String()
	}
	live, liveOut := check("--env", "staging="+dir, "--env", "production="+dir)
	// The directory is the live environments' source by default; the
	// exported files get it named.
	files, _ := check(append(fileArgs, "--source", dir)...)
	if !reflect.DeepEqual(live["findings"], files["findings"]) {
		t.Errorf("findings differ:\nlive  %v\nfiles %v", live["findings"], files["findings"])
	}
	if n := len(live["findings"].([]any)); n == 0 {
		t.Error("no findings: the test compares nothing")
	}
	for i, e := range live["environments"].([]any) {
		env := e.(map[string]any)
		from, _ := env["read_from"].(map[string]any)
		if from == nil || from["backend"] != "pg" || from["workspace"] != env["name"] || from["via"] != "terraform state pull" || from["serial"] == nil || from["lineage"] == "" {
			t.Errorf("environment %d: read_from %v", i, env["read_from"])
		}
		fileEnv := files["environments"].([]any)[i].(map[string]any)
		if _, has := fileEnv["read_from"]; has {
			t.Errorf("a file input has read_from: %v", fileEnv)
		}
	}
	for _, secret := range []string{"long-secret", "Pa55-never-printed"} {
		if strings.Contains(liveOut, secret) {
			t.Errorf("output holds %q", secret)
		}
	}
}
