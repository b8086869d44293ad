package main

import (
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/policytest"
)

func newTestCommand(stdout io.Writer, code *int) *cobra.Command {
	var opts policytest.Options
	var maxMemory string
	cmd := &cobra.Command{
		Use:   "test [DIR | FILE_test.rego]... [--env-policy DIR]...",
		Short: "Run the unit tests (*_test.rego) of your Rego policies",
		Long: `Run the unit tests of your policies with OPA's test runner: every rule named test_*
in the *_test.rego files below DIR (the current directory when none is given), or in
FILE_test.rego with the policies of its directory. The policies, their .json/.yaml data documents and
lockstep's built-in rules and lib are loaded too. Tests can build the real input document
from plan and state files with lockstep.input_from(["staging=PATH", "production=PATH"]),
paths relative to the test file.

Per-environment policies (check's --env-policy, conftest's) are tested with --env-policy DIR:
their tests run as conftest verify runs them, with input set to a plan or state document,
without lockstep's rules and lib.

Exit codes: 0 every test passed; 1 a test failed or errored; 2 the policies do not load.`,
		Example: `  lockstep test
  lockstep test policies/
  lockstep test examples/policies --run db_engine
  lockstep test examples/policies/db_engine_major/db_engine_major_test.rego
  lockstep test --env-policy conftest/policy`,
		RunE: func(cmd *cobra.Command, dirs []string) error {
			opts.Dirs = dirs
			var err error
			if opts.MaxMemory, err = policy.ParseMaxMemory(maxMemory); err != nil {
				return &check.UsageError{Msg: "--policy-max-memory " + err.Error()}
			}
			sum, err := policytest.Run(cmd.Context(), stdout, opts)
			if err != nil {
				return err
			}
			if sum.Bad() {
				*code = exitFindings
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&opts.EnvDirs, "env-policy", nil, "a directory of per-environment policies (check's --env-policy) and their *_test.rego files (repeat for more)")
	f.StringVar(&opts.Run, "run", "", "run only the tests whose name matches this regular expression")
	f.DurationVar(&opts.Timeout, "timeout", 30*time.Second, "stop a test that runs longer than this and count it as an error")
	f.BoolVar(&opts.AllowNet, "policy-allow-net", false, "let the policies and tests call the built-ins that reach the network or the host's files (http.send, net.lookup_ip_addr, json.match_schema, json.verify_schema)")
	f.StringVar(&maxMemory, "policy-max-memory", "2GiB", "stop the tests when they grow memory by more than this (512MiB, 4GiB; -1 for no bound)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "also show print() output of passing tests")
	return cmd
}
