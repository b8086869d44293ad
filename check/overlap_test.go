package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/policy"
)

// TestErrorPrecedence: the inputs are read while the rules compile (see
// run), but what a run reports first is unchanged: an engine error, then a
// config error (rule ids checked against the engine), then an output that
// would replace an input, and only then a bad input; and a directory input
// is not read at all (no Terraform runs) when one of the others fails.
func TestErrorPrecedence(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		testfile.Write(t, p, text)
		return p
	}
	good := "../testdata/scenarios/a-staging-only-change/staging.plan.json"
	bad := write("bad.json", `{"format_version": "1.2", "resource_changes": [`)
	badPolicy := write("policies/broken.rego", "package lockstep.user.broken\n\ndeny contains msg if {\n")
	badConfig := write("lockstep.hcl", `rule "no-such-rule" {
  severity = "warning"
}
`)
	// A Terraform that leaves a mark when it runs at all.
	mark := filepath.Join(dir, "ran")
	terraform := write("bin/terraform", "#!/bin/sh\ntouch "+mark+"\nexit 1\n")
	if err := os.Chmod(terraform, 0o755); err != nil {
		t.Fatal(err)
	}
	workdir := write("infra/main.tf", "# a root module\n")
	workdir = filepath.Dir(workdir)

	inputs := func(second string) []Input {
		return []Input{{Name: "staging", Path: good}, {Name: "production", Path: second}}
	}
	for _, tc := range []struct {
		name string
		opts Options
		says string
	}{
		{"policy error before a bad input", Options{Inputs: inputs(bad), Policy: policy.Options{PolicyDirs: []string{filepath.Dir(badPolicy)}}}, "broken.rego"},
		{"config error before a bad input", Options{Inputs: inputs(bad), ConfigFile: badConfig}, "no-such-rule"},
		{"output over an input before a bad input", Options{Inputs: inputs(bad), Outputs: Destinations{Reports: []Output{{Format: "json", Path: good}}}}, "would overwrite"},
		{"config error before a directory is read", Options{Inputs: inputs(workdir), ConfigFile: badConfig, Live: Live{Terraform: terraform}}, "no-such-rule"},
		{"policy error before a directory is read", Options{Inputs: inputs(workdir), Policy: policy.Options{PolicyDirs: []string{filepath.Dir(badPolicy)}}, Live: Live{Terraform: terraform}}, "broken.rego"},
		{"the bad input last", Options{Inputs: inputs(bad)}, "bad.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("error %v, want one saying %q", err, tc.says)
			}
			if _, err := os.Stat(mark); err == nil {
				t.Fatal("Terraform ran")
			}
		})
	}
}
