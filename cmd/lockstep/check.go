package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/policy"
)

func newCheckCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var (
		envs       []string
		configPath string
		target     string
		formats    []string
		outputPath string
		sources    []string
		failOn     string
		asOf       string
		policies   []string
		timeout    time.Duration
		trace      bool
		debug      bool
		dumpInput  string
		allowNet   bool
		maxMemory  string
		maxInput   string
	)
	cmd := &cobra.Command{
		Use:   "check --env NAME=PATH --env NAME=PATH ...",
		Short: "Compare environments and report what breaks parity",
		Example: `  lockstep check --env staging=staging.plan.json --env production=production.plan.json
  lockstep check --env staging=staging.tfstate --env production=production.tfstate --format json
  lockstep check --env staging=s.json --env production=p.json --target production
  lockstep check --env staging=s.json --env production=p.json --policy policies/
  lockstep check --env staging=s.json --env production=p.json --source staging=envs/staging --source production=envs/production \
    --format github --format sarif=lockstep.sarif --format markdown=lockstep.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			outs, err := check.ParseOutputs(formats, outputPath)
			if err != nil {
				return err
			}
			// The job summary file is per step; GitHub sets it.
			dests := check.Destinations{Reports: outs, DumpInput: dumpInput, StepSummary: os.Getenv("GITHUB_STEP_SUMMARY")}
			switch failOn {
			case check.FailOnError, check.FailOnWarning, check.FailOnNever:
			default:
				return &check.UsageError{Msg: fmt.Sprintf("--fail-on %q: use error, warning or never", failOn)}
			}
			opts := check.Options{Target: target, PolicyTimeout: timeout, DumpInput: dumpInput, Policy: policy.Options{PolicyDirs: policies}}
			if opts.MaxInputSize, err = readfile.ParseSize(maxInput); err != nil {
				return &check.UsageError{Msg: "--max-input-size " + err.Error()}
			}
			if timeout <= 0 {
				return &check.UsageError{Msg: fmt.Sprintf("--policy-timeout %s: give a positive duration, for example --policy-timeout 30s", timeout)}
			}
			if asOf != "" {
				if opts.Today, err = time.Parse(time.DateOnly, asOf); err != nil {
					return &check.UsageError{Msg: fmt.Sprintf("--as-of %q: give a date as YYYY-MM-DD, for example --as-of 2027-01-01", asOf)}
				}
			}
			if len(sources) > 0 {
				opts.Sources = map[string]string{}
			}
			for _, s := range sources {
				if err := check.ParseSource(s, opts.Sources); err != nil {
					return err
				}
			}
			for _, e := range envs {
				in, err := check.ParseInput(e)
				if err != nil {
					return err
				}
				opts.Inputs = append(opts.Inputs, in)
			}
			popts := policy.Options{PolicyDirs: policies, AllowNet: allowNet}
			if popts.MaxMemory, err = policy.ParseMaxMemory(maxMemory); err != nil {
				return &check.UsageError{Msg: "--policy-max-memory " + err.Error()}
			}
			if trace || debug {
				popts.Print = stderr
			}
			if trace {
				popts.Trace = stderr
			}
			if opts.Engine, err = policy.New(cmd.Context(), popts); err != nil {
				return err
			}
			if debug {
				for _, r := range opts.Engine.Rules() {
					if !r.Builtin {
						fmt.Fprintf(stderr, "lockstep: debug: user rule %s (%s, %s.%s at %s:%d)\n", r.ID, r.Severity, strings.TrimPrefix(r.Package, "data."), r.Name, r.File, r.Line)
					}
				}
			}
			explicit := cmd.Flags().Changed("config")
			if opts.Config, err = check.LoadConfig(configPath, explicit, opts.Engine); err != nil {
				return err
			}
			// Refuse an output that would replace an input before the
			// run, not after it; WriteOutputs checks again.
			if err := dests.Check(opts); err != nil {
				return err
			}
			res, err := check.Evaluate(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if err := check.WriteOutputs(res, dests, stdout); err != nil {
				return err
			}
			*code = check.ExitCode(res.Report, failOn)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&envs, "env", nil, "an environment and its input: NAME=PATH to a plan JSON, state JSON or raw .tfstate (repeat, in promotion order)")
	f.StringVar(&configPath, "config", "lockstep.hcl", "lockstep.hcl with environments, promotion, expected differences and waivers (default: ./lockstep.hcl when present)")
	f.StringVar(&target, "target", "", "the environment about to be applied: flag changes its plan makes ahead of the previous environment")
	f.StringArrayVar(&formats, "format", nil, "output format, FORMAT or FORMAT=FILE (repeat to write several): "+strings.Join(output.Formats(), ", ")+" (default text)")
	f.StringVarP(&outputPath, "output", "o", "", "write the formats given without =FILE to FILE instead of standard output")
	f.StringArrayVar(&sources, "source", nil, "an environment's Terraform configuration directory, NAME=DIR (or DIR for all), so findings point at file:line (repeat; over lockstep.hcl's environment.source)")
	f.StringVar(&failOn, "fail-on", check.FailOnError, "exit 1 when findings reach this severity: error, warning or never")
	f.StringArrayVar(&policies, "policy", nil, "a directory of your own Rego rules (deny, violation, warn in package main or lockstep.*) and .json/.yaml data documents (repeat for more)")
	f.DurationVar(&timeout, "policy-timeout", check.DefaultPolicyTimeout, "stop evaluating the rules after this long and fail with exit 2")
	f.BoolVar(&allowNet, "policy-allow-net", false, "let your rules call the built-ins that reach the network or the host's files (http.send, net.lookup_ip_addr, json.match_schema, json.verify_schema)")
	f.StringVar(&maxMemory, "policy-max-memory", "2GiB", "stop a rule of yours whose evaluation grows memory by more than this (512MiB, 4GiB; -1 for no bound) and fail with exit 2")
	f.BoolVar(&trace, "trace", false, "write OPA's evaluation trace of your rules, and their print() output, to standard error")
	f.BoolVar(&debug, "debug", false, "write your rules' print() output, and which rules were loaded, to standard error")
	f.StringVar(&dumpInput, "dump-input", "", "also write the input document the rules see to FILE, as JSON (for writing and testing policies)")
	f.StringVar(&maxInput, "max-input-size", readfile.Size(readfile.InputLimit), "refuse an --env file larger than this (bytes, or a number with KiB, MiB, GiB or TiB)")
	f.StringVar(&asOf, "as-of", "", "judge waiver expiry as of this UTC day (YYYY-MM-DD) instead of today, for reproducible reports and tests")
	return cmd
}

// printError writes one clear message per problem, each once. Config
// problems are one FILE:LINE:COLUMN line each, the form editors and CI log
// scanners link to.
func printError(w io.Writer, err error) {
	var ce *config.Error
	if errors.As(err, &ce) {
		fmt.Fprintf(w, "lockstep: %d problem(s) in %s:\n", len(ce.Diagnostics), ce.Filename)
		fmt.Fprintln(w, ce.Error())
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "lockstep: %s\n", line)
	}
}
