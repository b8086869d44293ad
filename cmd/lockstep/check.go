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
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/policy"
)

// checkLong is `lockstep check --help`'s text: how to produce each input
// and what each exit code means (docs/DESIGN.md's contract).
const checkLong = `Compare environments and report what breaks parity between them.

Each --env NAME=PATH is one environment's input, in promotion order. Produce it with:
  plan JSON    terraform plan -out plan.out && terraform show -json plan.out > NAME.plan.json
  state JSON   terraform show -json > NAME.state.json
  raw state    terraform state pull > NAME.tfstate
A saved plan file (plan.out) is not read: convert it with terraform show -json.
Or let lockstep read it where Terraform keeps it: --env NAME=DIR, where DIR is a Terraform
root module, runs terraform state pull there in workspace NAME (or default when it is the
only one; a local backend's state file is read directly), or terraform plan with --plan;
every backend works (docs/inputs-live.md).

Exit codes:
  0  no finding at or above --fail-on (default: error)
  1  findings at or above --fail-on
  2  usage, input, config or policy error; no output file is written`

// checkFlags are the check command's flags as given.
type checkFlags struct {
	envs       []string
	configPath string
	target     string
	formats    []string
	outputPath string
	sources    []string
	failOn     string
	asOf       string
	policies   []string
	envPolicy  []string
	namespaces []string
	allNS      bool
	timeout    time.Duration
	trace      bool
	debug      bool
	dumpInput  string
	allowNet   bool
	maxMemory  string
	maxInput   string
	allowSame  bool
	live       liveFlags
}

func newCheckCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var fl checkFlags
	cmd := &cobra.Command{
		Use:   "check --env NAME=PATH --env NAME=PATH ...",
		Short: "Compare environments and report what breaks parity",
		Long:  checkLong,
		Example: `  lockstep check --env staging=staging.plan.json --env production=production.plan.json
  lockstep check --env staging=staging.tfstate --env production=production.tfstate --format json
  lockstep check --env staging=s.json --env production=p.json --target production
  lockstep check --env staging=s.json --env production=p.json --policy policies/
  lockstep check --env staging=s.json --env production=p.json --env-policy conftest/policy
  lockstep check --env staging=s.json --env production=p.json --source staging=envs/staging --source production=envs/production \
    --format github --format sarif=lockstep.sarif --format markdown=lockstep.md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, outFlags, err := fl.options(cmd.Flags().Changed("config"))
			if err != nil {
				return err
			}
			done, err := fl.live.options(&opts, stderr)
			if err != nil {
				return flagError(err, outFlags)
			}
			opts.Stdout = stdout
			opts.Warnings = stderr
			textWidths(opts.Outputs.Reports, stdout)
			if fl.trace || fl.debug {
				opts.Policy.Print = stderr
			}
			if fl.trace {
				opts.Policy.Trace = stderr
			}
			if fl.debug {
				opts.Debug = stderr
			}
			_, err = check.Run(cmd.Context(), opts)
			done()
			if c := check.ExitCode(err); c == check.ExitFindings {
				*code = c
				return nil
			}
			return flagError(err, outFlags)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&fl.envs, "env", nil, "an environment and its input: NAME=PATH to a plan JSON, state JSON or raw .tfstate, or NAME=DIR to a Terraform working directory (repeat, in promotion order)")
	f.StringVar(&fl.configPath, "config", check.DefaultConfigFile, "lockstep.hcl with environments, promotion, expected differences and waivers (default: ./lockstep.hcl when present)")
	f.StringVar(&fl.target, "target", "", "the environment about to be applied: flag changes its plan makes ahead of the previous environment")
	f.StringArrayVar(&fl.formats, "format", nil, "output format, FORMAT or FORMAT=FILE (repeat to write several): "+strings.Join(output.Formats(), ", ")+" (default text)")
	f.StringVarP(&fl.outputPath, "output", "o", "", "write the formats given without =FILE to FILE instead of standard output")
	f.StringArrayVar(&fl.sources, "source", nil, "an environment's Terraform configuration directory, NAME=DIR (or DIR for all), so findings point at file:line (repeat; over lockstep.hcl's environment.source)")
	f.StringVar(&fl.failOn, "fail-on", check.FailOnError.String(), "exit 1 when findings reach this severity: error, warning or never")
	f.StringArrayVar(&fl.policies, "policy", nil, "a directory of your own Rego rules (deny, violation, warn in package main or lockstep.*) and .json/.yaml data documents (repeat for more)")
	f.StringArrayVar(&fl.envPolicy, "env-policy", nil, "a directory of Rego policies written for one plan or state, conftest's (deny, violation, warn in package main): evaluated once per environment over its input as Terraform wrote it (repeat for more)")
	f.StringArrayVar(&fl.namespaces, "namespace", nil, "the package of --env-policy rules to evaluate, a name or glob, as conftest's --namespace (repeat; default main)")
	f.BoolVar(&fl.allNS, "all-namespaces", false, "evaluate the --env-policy rules of every package, as conftest's --all-namespaces")
	f.DurationVar(&fl.timeout, "policy-timeout", check.DefaultPolicyTimeout, "stop evaluating the rules after this long and fail with exit 2")
	f.BoolVar(&fl.allowNet, "policy-allow-net", false, "let your rules call the built-ins that reach the network or the host's files (http.send, net.lookup_ip_addr, json.match_schema, json.verify_schema)")
	f.StringVar(&fl.maxMemory, "policy-max-memory", "2GiB", "stop a rule of yours whose evaluation grows memory by more than this (512MiB, 4GiB; -1 for no bound) and fail with exit 2")
	f.BoolVar(&fl.trace, "trace", false, "write OPA's evaluation trace of your rules, and their print() output, to standard error")
	f.BoolVar(&fl.debug, "debug", false, "write your rules' print() output, and which rules were loaded, to standard error")
	f.StringVar(&fl.dumpInput, "dump-input", "", "also write the input document the rules see to FILE, as JSON (for writing and testing policies)")
	f.StringVar(&fl.maxInput, "max-input-size", readfile.Size(readfile.InputLimit), "refuse an --env file larger than this (bytes, or a number with KiB, MiB, GiB or TiB)")
	f.BoolVar(&fl.allowSame, "allow-identical-inputs", false, "accept two environments whose inputs are byte-identical (the same sha256), which is otherwise an error")
	fl.live.register(f)
	f.StringVar(&fl.asOf, "as-of", "", "judge waiver expiry as of this UTC day (YYYY-MM-DD) instead of today, for reproducible reports and tests")
	return cmd
}

// options turns the flags into the library's typed options; every mistake
// is a usage error in flag language. configGiven is whether --config was
// given (a config named on the command line must exist). outFlags names
// each of opts.Outputs.Reports by its flag, for flagError.
func (fl checkFlags) options(configGiven bool) (opts check.Options, outFlags []string, err error) {
	outs, outFlags, err := parseOutputs(fl.formats, fl.outputPath)
	if err != nil {
		return opts, nil, err
	}
	// The job summary file is per step; GitHub sets it.
	opts.Outputs = check.Destinations{Reports: outs, DumpInput: fl.dumpInput, StepSummary: os.Getenv("GITHUB_STEP_SUMMARY")}
	if opts.FailOn, err = parseFailOn(fl.failOn); err != nil {
		return opts, nil, err
	}
	opts.Target, opts.PolicyTimeout = fl.target, fl.timeout
	opts.AllowIdenticalInputs = fl.allowSame
	if opts.MaxInputSize, err = readfile.ParseSize(fl.maxInput); err != nil {
		return opts, nil, &check.UsageError{Msg: "--max-input-size " + err.Error()}
	}
	if fl.timeout <= 0 {
		return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--policy-timeout %s: give a positive duration, for example --policy-timeout 30s", fl.timeout)}
	}
	if fl.asOf != "" {
		if opts.Today, err = time.Parse(time.DateOnly, fl.asOf); err != nil {
			return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--as-of %q: give a date as YYYY-MM-DD, for example --as-of 2027-01-01", fl.asOf)}
		}
	}
	if len(fl.sources) > 0 {
		opts.Sources = map[string]string{}
	}
	for _, s := range fl.sources {
		if err := parseSource(s, opts.Sources); err != nil {
			return opts, nil, err
		}
	}
	for _, e := range fl.envs {
		in, err := parseInput(e)
		if err != nil {
			return opts, nil, err
		}
		opts.Inputs = append(opts.Inputs, in)
	}
	opts.HCP = hcp.FromEnv(os.Getenv)
	opts.Policy = policy.Options{PolicyDirs: fl.policies, EnvPolicyDirs: fl.envPolicy, Namespaces: fl.namespaces, AllNamespaces: fl.allNS, AllowNet: fl.allowNet}
	if opts.Policy.MaxMemory, err = policy.ParseMaxMemory(fl.maxMemory); err != nil {
		return opts, nil, &check.UsageError{Msg: "--policy-max-memory " + err.Error()}
	}
	if configGiven {
		opts.ConfigFile = fl.configPath
	}
	return opts, outFlags, nil
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
