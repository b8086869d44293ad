package main

import (
	"strings"
	"testing"
)

// TestFlagTypo: a mistyped flag is a usage error (exit 2) that suggests the
// command's closest flag when one is near, as a mistyped command does.
func TestFlagTypo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--traget", "production"}, "lockstep: unknown flag --traget; did you mean --target? (lockstep check --help lists the flags)\n"},
		{[]string{"check", "--fial-on=never"}, "did you mean --fail-on?"},
		{[]string{"init", "--forse"}, "did you mean --force? (lockstep init --help lists the flags)"},
		{[]string{"report", "--input", "x"}, "did you mean --inputs?"},
		{[]string{"check", "--zzzzzzzz"}, "lockstep: unknown flag --zzzzzzzz; lockstep check --help lists the flags\n"},
		{[]string{"rules", "-Q"}, "unknown shorthand flag: 'Q' in -Q; lockstep rules --help lists the flags"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
}
