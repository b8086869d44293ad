package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestLiveSourceDefault: an environment read from a directory finds its
// locations in that directory's .tf files unless --source names others.
func TestLiveSourceDefault(t *testing.T) {
	dir := appliedWorkspaces(t)
	// Another copy of the configuration, with the block one line lower.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "main.tf"), []byte("\n"+localTF), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		extra []string
		file  string
		line  int
	}{
		{"the directory read", nil, filepath.Join(dir, "main.tf"), 3},
		{"--source over it", []string{"--source", other}, filepath.Join(other, "main.tf"), 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"check", "--format", "json", "--fail-on", "never", "--env", "staging=" + dir, "--env", "production=" + dir}, tc.extra...)
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var rep struct {
				Findings []struct {
					Rule     string
					Location *struct {
						File string
						Line int
					}
				}
			}
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) == 0 {
				t.Fatal("no findings: the test locates nothing")
			}
			for _, f := range rep.Findings {
				if f.Location == nil || f.Location.File != filepath.ToSlash(tc.file) || f.Location.Line != tc.line {
					t.Errorf("%s: location %+v, want %s:%d", f.Rule, f.Location, tc.file, tc.line)
				}
			}
		})
	}
}

// TestLiveConfigDirs: environments lockstep.hcl places (`dir`) are read
// without --env, in promotion order; --env NAME=PATH replaces one.
func TestLiveConfigDirs(t *testing.T) {
	dir := appliedWorkspaces(t)
	state := liveTerraform(t, dir, []string{"TF_WORKSPACE=staging"}, "state", "pull")
	stagingFile := filepath.Join(t.TempDir(), "staging.tfstate")
	if err := os.WriteFile(stagingFile, []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(t.TempDir(), "lockstep.hcl")
	hcl := "environment \"production\" {\n  dir = \"" + filepath.ToSlash(dir) + "\"\n}\n" +
		"environment \"staging\" {\n  dir = \"" + filepath.ToSlash(dir) + "\"\n}\n" +
		"promotion = [\"staging\", \"production\"]\n"
	if err := os.WriteFile(conf, []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		via  []string // read_from.via per environment, "" for a file
	}{
		{"config only", nil, []string{"state file", "state file"}}, // a local backend
		{"--env over one", []string{"--env", "staging=" + stagingFile}, []string{"", "state file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"check", "--format", "json", "--fail-on", "never", "--config", conf}, tc.args...)
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var rep struct {
				Environments []struct {
					Name     string
					ReadFrom *struct{ Via string } `json:"read_from"`
				}
				Findings []any
			}
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Environments) != 2 || rep.Environments[0].Name != "staging" || rep.Environments[1].Name != "production" || len(rep.Findings) == 0 {
				t.Fatalf("environments %+v, %d findings", rep.Environments, len(rep.Findings))
			}
			for i, e := range rep.Environments {
				via := ""
				if e.ReadFrom != nil {
					via = e.ReadFrom.Via
				}
				if via != tc.via[i] {
					t.Errorf("%s read via %q, want %q", e.Name, via, tc.via[i])
				}
			}
		})
	}
}
