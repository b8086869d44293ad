package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/fleet"
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/internal/progress"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/workdir"
)

// reportFlags are the report command's flags as given.
type reportFlags struct {
	configPath  string
	inputs      []string
	formats     []string
	previous    string
	asOf        string
	shard       string
	parallelism int
	policies    []string
	envPolicy   []string
	namespaces  []string
	allNS       bool
	timeout     time.Duration
	failOn      string
	expiry      int
	timestamp   bool
	quiet       bool
	maxInput    string
	terraform   string
	plan        bool
	inputTime   time.Duration
}

func newReportCommand(args []string, stdout, stderr io.Writer, code *int) *cobra.Command {
	var fl reportFlags
	cmd := &cobra.Command{
		Use:   "report --inputs PATTERN... [--format FORMAT[=FILE]]...",
		Short: "Audit a fleet of stacks and write the compliance evidence (html, markdown, json, text)",
		Example: `  lockstep report --inputs 'exports/{stack}/{env}.tfstate' --format html=report.html --format json=report.json
  lockstep report --inputs 'exports/{stack}/{env}.json' --previous last/report.json --as-of 2027-01-31
  lockstep report --inputs 'exports/{stack}/{env}.json' --shard 2/8 --format json=shard-2.json
  lockstep report --inputs 'live/{env}/{stack}' --format html=report.html
  lockstep report merge shard-*.json --format html=report.html --format json=report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, dests, err := fl.options(cmd.Flags().Changed("config"))
			if err != nil {
				return err
			}
			opts.CommandLine = fleet.CommandLine("lockstep", args)
			// The bar starts once the stacks are found and their total known.
			var bar *progress.Counter
			if !fl.quiet && isTerminal(stderr) {
				opts.Progress = func(done, total int, stack string) {
					if done == 0 {
						bar = progress.NewCounter(stderr, true, "lockstep report: stacks", total)
						return
					}
					bar.Done(stack)
				}
			}
			d, err := fleet.Run(cmd.Context(), opts)
			bar.Wait()
			if err != nil {
				return err
			}
			return finish(d, dests, opts.FailOn, stdout, stderr, code)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.configPath, "config", check.DefaultConfigFile, "the fleet's lockstep.hcl: environments, promotion, rules, waivers every stack inherits (default: ./lockstep.hcl when present)")
	f.StringArrayVar(&fl.inputs, "inputs", nil, "where the stacks' inputs are: a path pattern with {stack} and {env}, e.g. 'exports/{stack}/{env}.tfstate' (repeat)")
	f.StringArrayVar(&fl.formats, "format", nil, "output format, FORMAT or FORMAT=FILE (repeat): "+strings.Join(output.FleetFormats(), ", ")+" (default text); json=FILE also writes FILE.sha256")
	f.StringVar(&fl.previous, "previous", "", "the previous report's JSON evidence: mark findings new, persisting or resolved, and keep the history")
	f.StringVar(&fl.asOf, "as-of", "", "judge waivers and date the report as of this UTC day (YYYY-MM-DD) instead of today; the JSON is then reproducible")
	f.StringVar(&fl.shard, "shard", "", "audit only the stacks of shard `K/N`, K of N by a stable hash of their name, and write partial evidence for lockstep report merge")
	f.IntVar(&fl.parallelism, "parallelism", 0, "stacks audited at once (default: the number of CPUs)")
	f.StringArrayVar(&fl.policies, "policy", nil, "a directory of your own Rego rules, as for check (repeat)")
	f.StringArrayVar(&fl.envPolicy, "env-policy", nil, "a directory of per-environment (conftest) Rego policies, evaluated once per environment of every stack, as for check (repeat; the fleet lockstep.hcl's env_policy dirs come after these)")
	f.StringArrayVar(&fl.namespaces, "namespace", nil, "the package of --env-policy rules to evaluate, a name or glob, as check's --namespace (repeat; default main)")
	f.BoolVar(&fl.allNS, "all-namespaces", false, "evaluate the --env-policy rules of every package, as check's --all-namespaces")
	f.DurationVar(&fl.timeout, "policy-timeout", check.DefaultPolicyTimeout, "stop evaluating one stack's rules after this long (that stack is an input error)")
	f.StringVar(&fl.failOn, "fail-on", check.FailOnError.String(), "exit 1 when findings reach this severity: error, warning or never")
	f.IntVar(&fl.expiry, "expiry-warning", fleet.DefaultExpiryWarningDays, "flag waivers that expire within this many days")
	f.BoolVar(&fl.timestamp, "timestamp", false, "record the generation time (the JSON is then no longer reproducible)")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "no progress output on standard error")
	f.StringVar(&fl.terraform, "terraform", "", "the Terraform or OpenTofu binary for inputs that are working directories (default: $TERRAFORM, else terraform or tofu on PATH)")
	f.BoolVar(&fl.plan, "plan", false, "plan every input that is a working directory (terraform plan, then show -json) instead of reading its state")
	f.DurationVar(&fl.inputTime, "input-timeout", workdir.DefaultTimeout, "stop reading a working directory after this long (that stack is an input error)")
	f.StringVar(&fl.maxInput, "max-input-size", readfile.Size(readfile.InputLimit), "refuse an input file larger than this (bytes, or a number with KiB, MiB, GiB or TiB)")
	cmd.AddCommand(newReportMergeCommand(stdout, stderr, code))
	return cmd
}

func newReportMergeCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var formats []string
	var failOn string
	cmd := &cobra.Command{
		Use:   "merge SHARD.json... [--format FORMAT[=FILE]]...",
		Short: "Combine the JSON evidence of `lockstep report --shard K/N` runs into the whole report",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			dests, err := fleet.ParseFormats(formats)
			if err != nil {
				return err
			}
			fo, err := parseFailOn(failOn)
			if err != nil {
				return err
			}
			shards := make([]*evidence.Document, len(files))
			for i, f := range files {
				if shards[i], err = fleet.ReadDocument(f); err != nil {
					return err
				}
			}
			d, err := evidence.Merge(shards, files)
			if err != nil {
				return err
			}
			return finish(d, dests, fo, stdout, stderr, code)
		},
	}
	cmd.Flags().StringArrayVar(&formats, "format", nil, "output format, FORMAT or FORMAT=FILE (repeat): "+strings.Join(output.FleetFormats(), ", ")+" (default text)")
	cmd.Flags().StringVar(&failOn, "fail-on", check.FailOnError.String(), "exit 1 when findings reach this severity: error, warning or never")
	return cmd
}

// finish writes the report and sets the exit code: 2 for a stack's input
// error (said on stderr), 1 for findings at --fail-on.
func finish(d *evidence.Document, dests []fleet.Destination, failOn check.FailOn, stdout, stderr io.Writer, code *int) error {
	if err := fleet.Write(d, dests, stdout); err != nil {
		return err
	}
	for _, s := range d.Stacks {
		if s.Status == evidence.StatusInputError {
			fmt.Fprintf(stderr, "lockstep: stack %s: %s\n", s.Name, s.Reason)
		}
	}
	*code = fleet.ExitCode(d, failOn)
	return nil
}

// options turns the flags into the library's options.
func (fl reportFlags) options(configGiven bool) (fleet.Options, []fleet.Destination, error) {
	opts := fleet.Options{Patterns: fl.inputs, PolicyTimeout: fl.timeout, ExpiryWarningDays: fl.expiry, Parallelism: fl.parallelism,
		HCP: hcp.FromEnv(os.Getenv)}
	dests, err := fleet.ParseFormats(fl.formats)
	if err != nil {
		return opts, nil, err
	}
	if opts.FailOn, err = parseFailOn(fl.failOn); err != nil {
		return opts, nil, err
	}
	if opts.MaxInputSize, err = readfile.ParseSize(fl.maxInput); err != nil {
		return opts, nil, &check.UsageError{Msg: "--max-input-size " + err.Error()}
	}
	if fl.timeout <= 0 {
		return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--policy-timeout %s: give a positive duration, for example --policy-timeout 30s", fl.timeout)}
	}
	if fl.expiry < 0 {
		return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--expiry-warning %d: give a number of days, 0 or more", fl.expiry)}
	}
	if fl.parallelism < 0 {
		return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--parallelism %d: give a number of stacks, 1 or more (0 for the number of CPUs)", fl.parallelism)}
	}
	if fl.asOf != "" {
		if opts.AsOf, err = time.Parse(time.DateOnly, fl.asOf); err != nil {
			return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--as-of %q: give a date as YYYY-MM-DD, for example --as-of 2027-01-01", fl.asOf)}
		}
	}
	if fl.shard != "" {
		if opts.Shard, err = parseShard(fl.shard); err != nil {
			return opts, nil, err
		}
	}
	if fl.previous != "" {
		if opts.Previous, err = fleet.ReadDocument(fl.previous); err != nil {
			return opts, nil, err
		}
	}
	if fl.timestamp {
		opts.GeneratedAt = time.Now()
	}
	if fl.inputTime <= 0 {
		return opts, nil, &check.UsageError{Msg: fmt.Sprintf("--input-timeout %s: give a positive duration, for example --input-timeout 5m", fl.inputTime)}
	}
	tf, err := workdir.FindTerraform(fl.terraform, os.Getenv)
	if err != nil {
		return opts, nil, &check.UsageError{Msg: err.Error()}
	}
	// Stacks run in parallel already: one working directory at a time
	// within a stack.
	opts.Live = check.Live{Terraform: tf, Plan: fl.plan, Parallelism: 1, Timeout: fl.inputTime}
	opts.Policy = policy.Options{PolicyDirs: fl.policies, EnvPolicyDirs: fl.envPolicy, Namespaces: fl.namespaces, AllNamespaces: fl.allNS}
	if configGiven {
		opts.ConfigFile = fl.configPath
	}
	opts.Tool = evidence.Tool{Version: check.ToolVersion, Commit: buildCommit()}
	opts.VCSCommit = vcsCommit(opts.ConfigFile)
	return opts, dests, nil
}

// parseShard reads --shard K/N.
func parseShard(s string) (*evidence.Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, kerr := strconv.Atoi(k)
	ni, nerr := strconv.Atoi(n)
	if !ok || kerr != nil || nerr != nil || ni < 1 || ki < 1 || ki > ni {
		return nil, &check.UsageError{Msg: fmt.Sprintf("--shard %q: give K/N with 1 <= K <= N, for example --shard 2/8", s)}
	}
	return &evidence.Shard{Index: ki, Count: ni}, nil
}

// buildCommit is the commit lockstep was built from, when the build
// recorded it.
func buildCommit() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return ""
}

// vcsCommit is the commit of the configuration's repository: GITHUB_SHA in
// GitHub Actions, else git rev-parse HEAD where the config is (or here).
func vcsCommit(configFile string) string {
	if sha := os.Getenv("GITHUB_SHA"); sha != "" {
		return sha
	}
	dir := "."
	if configFile != "" {
		dir = filepath.Dir(configFile)
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// isTerminal reports whether w is a terminal: the progress line is only
// for a person watching.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
