package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPolicyDirWithoutRules: `check --policy DIR` on real plans, where DIR
// holds conftest's package terraform or only data, still runs (exit 1 for
// scenario a's findings) and warns on stderr naming the directory and its
// packages; a directory with a rule gets no warning.
func TestPolicyDirWithoutRules(t *testing.T) {
	root := t.TempDir()
	for path, text := range map[string]string{
		"conftest/terraform.rego": "package terraform\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome r in input.resources\n\tmsg := r.address\n}\n",
		"data/limits.json":        `{"limits": {"max": 3}}`,
	} {
		p := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plans := []string{"--env", "staging=" + filepath.Join(scenarios, "a-staging-only-change", "staging.plan.json"),
		"--env", "production=" + filepath.Join(scenarios, "a-staging-only-change", "production.plan.json")}
	tests := []struct {
		name string
		dirs []string
		want []string
	}{
		{"conftest package", []string{filepath.Join(root, "conftest")},
			[]string{"lockstep: warning: --policy " + filepath.Join(root, "conftest") + " loads no rule: its packages are terraform (", "takes --env-policy"}},
		{"data only", []string{filepath.Join(root, "data")},
			[]string{"lockstep: warning: --policy " + filepath.Join(root, "data") + " loads no rule: it holds no .rego policy file"}},
		{"examples load", []string{"../../examples/policies"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"check"}
			for _, d := range tc.dirs {
				args = append(args, "--policy", d)
			}
			code, _, stderr := runCLI(t, append(args, plans...)...)
			if code != exitFindings {
				t.Fatalf("exit %d, want %d: %s", code, exitFindings, stderr)
			}
			if len(tc.want) == 0 && stderr != "" {
				t.Errorf("stderr %q, want nothing", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}
