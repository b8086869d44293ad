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
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(localTF), 0o644); err != nil {
		t.Fatal(err)
	}
	liveTerraform(t, dir, nil, "init", "-input=false")
	for _, ws := range []string{"staging", "production"} {
		liveTerraform(t, dir, nil, "workspace", "new", ws)
		liveTerraform(t, dir, nil, "apply", "-auto-approve", "-input=false")
	}
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
