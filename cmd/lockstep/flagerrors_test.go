package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
)

// TestFlagError: each typed error of the check library reads, on the
// command line, exactly as it did when the library spoke in flags.
func TestFlagError(t *testing.T) {
	outputs := []string{"--format json=r.json", "--output r"}
	report := check.File{Role: check.FileReport, Path: "r.json", Index: 0, Format: "json"}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&check.TooFewInputsError{Given: 1}, "lockstep compares environments: give at least two, for example --env staging=staging.json --env production=production.json"},
		{&check.UnknownEnvironmentError{Option: "Target", Name: "prod"}, `--target "prod" is not one of the environments given with --env`},
		{&check.UnknownEnvironmentError{Option: "Sources", Name: "prod", Dir: "envs/p"}, `--source prod=envs/p: "prod" is not one of the environments given with --env`},
		{&check.ConfigNotFoundError{Path: "none.hcl"}, "none.hcl: no such file (the lockstep.hcl given with --config); give the path of an existing lockstep.hcl, or leave --config out to run without one"},
		{&check.DestinationError{File: report, Err: errors.New("rename failed")}, "--format json=r.json: rename failed"},
		{&check.DestinationError{File: check.File{Role: check.FileReport, Index: 1, Path: "r", Format: "sarif"}, Err: errors.New("r is a directory; give a file")}, "--output r: r is a directory; give a file"},
		{&check.DestinationError{File: check.File{Role: check.FileStepSummary, Path: "summary"}, Err: errors.New("summary is a directory")},
			"the job summary $GITHUB_STEP_SUMMARY (summary) that --format github appends to: summary is a directory"},
		{&check.ConflictError{First: report, Second: check.File{Role: check.FileDumpInput, Path: "./r.json"}, Where: "r.json"},
			"--format json=r.json and --dump-input ./r.json would both write to r.json; give each its own file"},
		{&check.OverwriteError{Output: report, Input: check.File{Role: check.FileInput, Env: "staging", Path: "s.json"}},
			"--format json=r.json would overwrite --env staging=s.json, which this run reads; write to another file"},
		{&check.OverwriteError{Output: report, Input: check.File{Role: check.FileLockFile, Env: "staging", Path: ".terraform.lock.hcl"}},
			"--format json=r.json would overwrite staging's lock file .terraform.lock.hcl, which this run reads; write to another file"},
		{&check.OverwriteError{Output: report, Input: check.File{Role: check.FileConfigLockFile, Env: "staging", Path: "l.hcl", Dir: "lockstep.hcl"}},
			"--format json=r.json would overwrite staging's lock file l.hcl (named in lockstep.hcl), which this run reads; write to another file"},
		{&check.OverwriteError{Output: report, Input: check.File{Role: check.FileConfig, Path: "lockstep.hcl"}},
			"--format json=r.json would overwrite the config file lockstep.hcl, which this run reads; write to another file"},
		{&check.OverwriteError{Output: report, Input: check.File{Role: check.FileSource, Path: "infra/main.tf", Dir: "infra"}},
			"--format json=r.json would overwrite the Terraform source infra/main.tf (--source), which this run reads; write to another file"},
		{&check.OverwriteError{Output: report, Input: check.File{Role: check.FilePolicy, Path: "p/a.json", Dir: "p"}},
			"--format json=r.json would overwrite the policy file p/a.json (--policy p), which this run reads; write to another file"},
		{&check.IdenticalInputsError{First: check.Input{Name: "staging", Path: "a.json"}, Second: check.Input{Name: "production", Path: "b.json"}, SHA256: "ab12"},
			"--env staging=a.json and --env production=b.json are identical inputs (sha256 ab12): comparing an input with itself proves nothing, so check that each environment gets its own plan or state; add --allow-identical-inputs when this is deliberate"},
		// Context around the library's error stays.
		{fmt.Errorf("write: %w", &check.DestinationError{File: report, Err: errors.New("disk full")}), "write: --format json=r.json: disk full"},
		{errors.New("something else"), "something else"},
	} {
		err := flagError(&check.ExitError{Code: check.ExitFailure, Err: tc.err}, outputs)
		if err.Error() != tc.want {
			t.Errorf("%T:\n got %s\nwant %s", tc.err, err, tc.want)
		}
	}
}
