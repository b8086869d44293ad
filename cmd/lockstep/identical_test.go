package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIdenticalInputsCLI: the same plan given for two environments is exit
// 2 naming both and the way out; --allow-identical-inputs runs the check
// (exit 1: a state shares its secrets with itself).
func TestIdenticalInputsCLI(t *testing.T) {
	plan := filepath.Join(scenarios, "a-staging-only-change", "production.state.json")
	for _, tc := range []struct {
		name     string
		extra    []string
		wantCode int
		want     []string
	}{
		{"refused", nil, 2, []string{"--env staging=" + plan, "--env production=" + plan, "identical inputs (sha256 ", "--allow-identical-inputs"}},
		{"allowed", []string{"--allow-identical-inputs"}, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"check", "--env", "staging=" + plan, "--env", "production=" + plan}, tc.extra...)
			code, out, errOut := runCLI(t, args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.wantCode, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if tc.wantCode == 2 && (out != "" || strings.Count(errOut, "\n") != 1) {
				t.Errorf("want one line on stderr and no report, got stdout %q stderr %q", out, errOut)
			}
		})
	}
}
