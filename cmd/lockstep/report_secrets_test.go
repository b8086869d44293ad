package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportSecretsNeverPrinted runs `lockstep report` over a fleet made of
// the inputs the check's leak tests use (scenario j's cross-environment
// marks in every input kind, secret map keys, and the red team's pairs:
// leakInputs), in every format at once: no secret may
// appear in any output, the evidence's input errors and the standard
// streams included.
func TestReportSecretsNeverPrinted(t *testing.T) {
	pairs, secrets := leakInputs(t)
	stacks := map[string][2]string{}
	for _, p := range pairs {
		stacks[strings.ReplaceAll(p.name, "/", "-")] = [2]string{p.staging, p.production}
	}
	root := t.TempDir()
	for name, p := range stacks {
		for i, env := range []string{"staging", "production"} {
			b, err := os.ReadFile(p[i])
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Join(root, name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, name, env+".json"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The inputs must really hold the secrets, or this test proves nothing.
	found := 0
	for _, p := range stacks {
		for _, f := range p {
			b := string(readFile(t, f))
			for _, s := range secrets {
				if strings.Contains(b, s) {
					found++
				}
			}
		}
	}
	if found < len(stacks) {
		t.Fatalf("the inputs hold %d secrets; the test would be vacuous", found)
	}
	out := t.TempDir()
	files := map[string]string{"json": filepath.Join(out, "r.json"), "html": filepath.Join(out, "r.html"), "markdown": filepath.Join(out, "r.md")}
	args := []string{"report", "--inputs", filepath.Join(root, "{stack}", "{env}.json"), "--as-of", "2026-12-01", "--format", "text"}
	for f, p := range files {
		args = append(args, "--format", f+"="+p)
	}
	code, stdout, stderr := runReport(t, args...)
	if !strings.Contains(stdout, "lockstep report as of 2026-12-01: 8 stacks") {
		t.Fatalf("exit %d: %s\n%s", code, stdout, stderr)
	}
	outputs := map[string]string{"stdout": stdout, "stderr": stderr}
	for f, p := range files {
		outputs[f] = string(readFile(t, p))
	}
	for name, text := range outputs {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s prints secret %q", name, s)
			}
		}
	}
}
