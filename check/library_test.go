package check_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/output"
)

// TestLibrary is what `lockstep report` and `lockstep serve` will do: run
// the whole check as a library, on two files, without cobra or flags, and
// render the report they get back.
func TestLibrary(t *testing.T) {
	dir := "../testdata/scenarios/a-staging-only-change/"
	_, err := check.Run(context.Background(), check.Options{
		Inputs: []check.Input{
			{Name: "staging", Path: dir + "staging.plan.json"},
			{Name: "production", Path: dir + "production.plan.json"},
		},
		ConfigFile: dir + "none.hcl",
	})
	var exit *check.ExitError
	if !errors.As(err, &exit) || exit.Code != check.ExitFailure || !strings.Contains(err.Error(), "none.hcl") {
		t.Fatalf("a config file that is not there: %v, want exit 2 naming it", err)
	}
	rep, err := check.Run(context.Background(), check.Options{
		Inputs: []check.Input{
			{Name: "staging", Path: dir + "staging.plan.json"},
			{Name: "production", Path: dir + "production.plan.json"},
		},
	})
	if !errors.As(err, &exit) || exit.Code != check.ExitFindings || check.ExitCode(err) != 1 {
		t.Fatalf("Run: %v, want the findings' exit 1", err)
	}
	var buf bytes.Buffer
	if err := (output.Text{Width: 100}).Format(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if want := "lockstep: 2 errors, 0 warnings, 0 waived across staging, production"; !strings.HasPrefix(buf.String(), want) {
		t.Errorf("report:\n%s\nwant it to start %q", buf.String(), want)
	}
}

// TestRunFailOn: the exit code Run's error carries, for each level, on
// reports with errors, with warnings only, and without findings.
func TestRunFailOn(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		failOn   check.FailOn
		want     int
	}{
		{"a-staging-only-change", check.FailOnError, 1},
		{"a-staging-only-change", check.FailOnWarning, 1},
		{"a-staging-only-change", check.FailOnNever, 0},
		{"f-version-skew", check.FailOnError, 0},
		{"f-version-skew", check.FailOnWarning, 1},
		{"f-version-skew", check.FailOnNever, 0},
		{"c-promotion-after", check.FailOnWarning, 0},
	} {
		dir := "../testdata/scenarios/" + tc.scenario + "/"
		opts := check.Options{
			Inputs: []check.Input{{Name: "staging", Path: dir + "staging.plan.json"}, {Name: "production", Path: dir + "production.plan.json"}},
			FailOn: tc.failOn,
		}
		if _, err := os.Stat(dir + "lockstep.hcl"); err == nil {
			opts.ConfigFile = dir + "lockstep.hcl"
		}
		_, err := check.Run(context.Background(), opts)
		if got := check.ExitCode(err); got != tc.want {
			t.Errorf("%s, fail on %s: exit %d (%v), want %d", tc.scenario, tc.failOn, got, err, tc.want)
		}
	}
}
