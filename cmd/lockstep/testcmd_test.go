package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestTestCommand: `lockstep test` exits 0 when every test passes, 1 when
// one fails, and 2 when the policies do not load.
func TestTestCommand(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"test", "../../policytest/testdata/ok"}, exitOK, "4 passed, 0 failed", ""},
		{[]string{"test", "../../policytest/testdata/failing"}, exitFindings, "1 passed, 1 failed, 1 errored", ""},
		{[]string{"test", "../../policytest/testdata/broken"}, exitError, "", "b.rego:4:9: undefined function undefined_function"},
		// With --env-policy DIR, no DIR argument is needed.
		{[]string{"test", "--env-policy", "../../policytest/testdata/env"}, exitFindings, "1 passed, 1 failed", ""},
		// No argument is the current directory (cmd/lockstep has no tests).
		{[]string{"test"}, exitError, "", "no tests found in ."},
		// A test file runs with the policies beside it, and only its tests.
		{[]string{"test", "../../policytest/testdata/ok/parity_test.rego"}, exitOK, "4 passed, 0 failed", ""},
		{[]string{"test", "../../policytest/testdata/failing/f.rego"}, exitError, "", "f.rego is a file, not a directory of policies: give its directory (lockstep test ../../policytest/testdata/failing)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant %q / %q", stdout.String(), stderr.String(), tt.stdout, tt.stderr)
			}
		})
	}
}
