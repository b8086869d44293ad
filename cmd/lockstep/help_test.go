package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestCheckHelp: `lockstep check --help` says how to produce each input
// kind and what each exit code means.
func TestCheckHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", "--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		"terraform show -json plan.out",
		"terraform show -json > NAME.state.json",
		"terraform state pull",
		"A saved plan file (plan.out) is not read",
		"\n  0  no finding at or above --fail-on",
		"\n  1  findings at or above --fail-on",
		"\n  2  usage, input, config or policy error",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, stdout.String())
		}
	}
}
