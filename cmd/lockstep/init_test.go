package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInit drives `lockstep init` on the three-workspace fixture: it writes
// a file a check then passes with (warnings for the TODO reasons only),
// refuses to overwrite it without --force, and prints it with --stdout.
func TestInit(t *testing.T) {
	s := filepath.Join(scenarios, "init-three-workspaces")
	envs := []string{"--env", "development=" + filepath.Join(s, "dev.plan.json"),
		"--env", "staging=" + filepath.Join(s, "stg.plan.json"), "--env", "production=" + filepath.Join(s, "prod.plan.json")}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "lockstep.hcl")
	args := func(more ...string) []string { return append(append([]string{"init"}, envs...), more...) }

	code, out, errOut := runCLI(t, args("--output", cfg)...)
	if code != 0 || errOut != "" || !strings.Contains(out, "wrote "+cfg+": 3 environments, 4 expect_difference and 2 only_in blocks") {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	written, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, append(append([]string{"check"}, envs...), "--config", cfg, "--format", "json")...)
	if code != 0 || errOut != "" || !strings.Contains(out, `"errors": 0,`) || !strings.Contains(out, `"warnings": 6,`) {
		t.Errorf("check with the file: exit %d, stderr %q, want 0 errors and 6 warnings in\n%s", code, errOut, out)
	}

	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"exists", args("--output", cfg), 2, "", "already exists"},
		{"stdout", args("--stdout"), 0, string(written), "lockstep init: wrote standard output"},
		{"stdout and force", args("--stdout", "--force"), 2, "", "--stdout prints the file instead of writing it"},
		{"one environment", []string{"init", "--env", envs[1], "--output", filepath.Join(dir, "other.hcl")}, 2, "", "give at least two"},
		{"force", args("--output", cfg, "--force"), 0, "wrote " + cfg, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(cfg, []byte("# reviewed\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantStdout) || !strings.Contains(errOut, tc.wantStderr) || (tc.wantStderr == "" && errOut != "") {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tc.wantCode, out, tc.wantStdout, errOut, tc.wantStderr)
			}
			got, _ := os.ReadFile(cfg)
			if want := map[bool]string{true: string(written), false: "# reviewed\n"}[tc.name == "force"]; string(got) != want {
				t.Errorf("%s holds %q, want %q", cfg, got, want)
			}
		})
	}
}
