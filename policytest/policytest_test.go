package policytest

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/policy"
)

var duration = regexp.MustCompile(`, [0-9.]+(µs|ms|s)\)`)

// TestRun runs the runner on small policy directories whose tests read the
// real-Terraform scenario fixtures through lockstep.input_from.
func TestRun(t *testing.T) {
	tests := []struct {
		dir     string
		env     bool // an --env-policy directory
		want    Summary
		output  []string
		problem string // a tool error instead of a summary
	}{
		{dir: "ok", want: Summary{Passed: 4}, output: []string{
			"PASS   lockstep.parity_test.test_staging_only_change_is_denied (testdata/ok/parity_test.rego:11)\n",
			"PASS   lockstep.parity_test.test_data_document_is_loaded (testdata/ok/parity_test.rego:21)\n",
			"\n4 passed, 0 failed\n",
		}},
		{dir: "failing", want: Summary{Passed: 1, Failed: 1, Errors: 1}, output: []string{
			"PASS   main_test.test_passes (testdata/failing/f_test.rego:5)\n",
			// print() output of a failing test is shown under it.
			"FAIL   main_test.test_fails (testdata/failing/f_test.rego:9)\n       | deny is {\"always\"}\n",
			"ERROR  main_test.test_errors (testdata/failing/f_test.rego:14)\n       testdata/failing/f_test.rego:15:2: lockstep.input_from: testdata/failing/missing.plan.json: no such file",
			"\n1 passed, 1 failed, 1 errored\n",
		}},
		{dir: "broken", problem: "testdata/broken/b.rego:4:9: undefined function undefined_function"},
		{dir: "empty", problem: "no tests found in testdata/empty"},
		{dir: "does-not-exist", problem: "does-not-exist"},
		// Per-environment policies: conftest's verify, `with input as` a plan.
		{dir: "env", env: true, want: Summary{Passed: 1, Failed: 1}, output: []string{
			"PASS   main.test_public_bucket_denied (testdata/env/plan_test.rego:5",
			"FAIL   main.test_private_bucket_fails (testdata/env/plan_test.rego:9)\n",
		}},
		{dir: "envcross", env: true, problem: "main.deny reads input.env"},
		// lockstep.input_from builds the cross-environment document only.
		{dir: "envinputfrom", env: true, problem: "undefined function lockstep.input_from"},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			var out bytes.Buffer
			opts := Options{Dirs: []string{"testdata/" + tt.dir}}
			if tt.env {
				opts = Options{EnvDirs: opts.Dirs}
			}
			sum, err := Run(context.Background(), &out, opts)
			if tt.problem != "" {
				var pe *policy.Error
				if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("error %v, want a policy error containing %q", err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sum != tt.want {
				t.Errorf("summary %+v, want %+v", sum, tt.want)
			}
			got := duration.ReplaceAllString(out.String(), ")")
			for _, w := range tt.output {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestRunFilter: --run selects tests by name.
func TestRunFilter(t *testing.T) {
	var out bytes.Buffer
	sum, err := Run(context.Background(), &out, Options{Dirs: []string{"testdata/failing"}, Run: "test_passes"})
	if err != nil {
		t.Fatal(err)
	}
	if sum != (Summary{Passed: 1}) {
		t.Errorf("summary %+v, output:\n%s", sum, out.String())
	}
}
