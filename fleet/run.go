package fleet

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/open-policy-agent/opa/v1/version"
)

// DefaultExpiryWarningDays is --expiry-warning's default.
const DefaultExpiryWarningDays = 14

// Options configure a report run.
type Options struct {
	// Patterns are the --inputs patterns, with {stack} and {env}.
	Patterns []string
	// ConfigFile is the fleet's lockstep.hcl, as check.Options.ConfigFile.
	ConfigFile string
	Policy     policy.Options
	// PolicyTimeout bounds each stack's rule evaluation.
	PolicyTimeout time.Duration
	MaxInputSize  int64
	// AsOf is the day waivers and trends are judged on; zero means today.
	AsOf              time.Time
	ExpiryWarningDays int
	// Live configures the inputs that are Terraform working directories
	// (--inputs 'live/{env}/{stack}'), as for check; its Parallelism and
	// progress are the run's, per stack.
	Live check.Live
	// HCP reads the stacks' inputs written hcp:ORG/WORKSPACE, as for check.
	HCP *hcp.Client
	// Parallelism bounds the stacks in flight; zero means the CPUs.
	Parallelism int
	// Shard, when set, selects the stacks of one shard.
	Shard *evidence.Shard
	// Previous is the previous report's evidence, for the trend.
	Previous *evidence.Document
	FailOn   check.FailOn
	// Tool, VCSCommit and CommandLine are recorded as given (the tool's
	// OPA version and name are filled in when empty).
	Tool        evidence.Tool
	VCSCommit   string
	CommandLine []string
	// GeneratedAt is recorded when not zero.
	GeneratedAt time.Time
	// Progress, when set, is called once with done 0 and no stack before
	// the first stack starts (the total is then known), then after each
	// stack, one call at a time.
	Progress func(done, total int, stack string)
}

// Run discovers the stacks, runs each one, and returns the finalized
// evidence. Its error is for the run as a whole (a pattern that matches
// nothing, the fleet's lockstep.hcl, the --policy rules): a stack's own
// problem is recorded in its status and the run goes on.
func Run(ctx context.Context, opts Options) (*evidence.Document, error) {
	// The fleet's env_policy block adds its conftest policies, as for
	// check: every stack's environments are judged by them too.
	opts.Policy = check.WithEnvPolicy(opts.Policy, opts.ConfigFile)
	engine, err := policy.New(ctx, opts.Policy)
	if err != nil {
		return nil, err
	}
	fleetCfg, err := check.LoadConfig(opts.ConfigFile, engine)
	if err != nil {
		return nil, err
	}
	stacks, err := fleetStacks(opts.Patterns, fleetCfg)
	if err != nil {
		return nil, err
	}
	if s := opts.Shard; s != nil {
		stacks = slices.DeleteFunc(stacks, func(st Stack) bool { return !evidence.InShard(st.Name, s.Index, s.Count) })
	}
	bundle, err := ruleBundle(append(slices.Clip(opts.Policy.PolicyDirs), opts.Policy.EnvPolicyDirs...))
	if err != nil {
		return nil, err
	}
	asOf := opts.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	asOf = asOf.UTC().Truncate(24 * time.Hour)
	if opts.MaxInputSize <= 0 {
		opts.MaxInputSize = readfile.InputLimit
	}
	tool := opts.Tool
	tool.Name = cmp.Or(tool.Name, "lockstep")
	tool.Version = cmp.Or(tool.Version, check.ToolVersion)
	tool.OPAVersion = cmp.Or(tool.OPAVersion, version.Version)
	d := &evidence.Document{
		Tool:       tool,
		AsOf:       asOf.Format(time.DateOnly),
		Shard:      opts.Shard,
		Parameters: parameters(opts, fleetCfg),
		Evidence:   evidence.Evidence{RuleBundle: bundle, VCSCommit: opts.VCSCommit},
	}
	if !opts.GeneratedAt.IsZero() {
		d.GeneratedAt = opts.GeneratedAt.UTC().Format(time.RFC3339)
	}
	if fleetCfg != nil {
		f, err := fileDigest(fleetCfg.Filename)
		if err != nil {
			return nil, err
		}
		d.Evidence.Configs = append(d.Evidence.Configs, f)
	}
	results := make([]stackResult, len(stacks))
	r := runner{opts: opts, engine: engine, fleet: fleetCfg, asOf: asOf}
	r.each(ctx, stacks, results)
	for _, res := range results {
		d.Stacks = append(d.Stacks, res.stack)
		d.Evidence.Inputs = append(d.Evidence.Inputs, res.inputs...)
		d.Evidence.Configs = append(d.Evidence.Configs, res.configs...)
	}
	if opts.Previous != nil {
		if err := evidence.ApplyPrevious(d, opts.Previous); err != nil {
			return nil, &check.UsageError{Msg: "--previous: " + err.Error()}
		}
	}
	evidence.Finalize(d)
	return d, nil
}

func parameters(opts Options, cfg *config.Config) evidence.Parameters {
	p := evidence.Parameters{CommandLine: opts.CommandLine, Patterns: opts.Patterns, Policies: opts.Policy.PolicyDirs,
		FailOn: opts.FailOn.String(), ExpiryWarningDays: opts.ExpiryWarningDays}
	if p.CommandLine == nil {
		p.CommandLine = []string{}
	}
	if p.Patterns == nil {
		p.Patterns = []string{}
	}
	if cfg != nil {
		p.Config, p.RequireTicket = cfg.Filename, cfg.RequireTicket
	}
	return p
}

// ExitCode is the report's exit code: 2 when a stack had an input error,
// else 1 when a finding that is not waived reaches failOn, else 0.
func ExitCode(d *evidence.Document, failOn check.FailOn) int {
	f := d.Summary.Findings
	switch {
	case d.Summary.InputError > 0:
		return check.ExitFailure
	case failOn == check.FailOnError && f.Errors > 0, failOn == check.FailOnWarning && f.Errors+f.Warnings > 0:
		return check.ExitFindings
	}
	return check.ExitOK
}

type stackResult struct {
	stack   evidence.Stack
	inputs  []evidence.Input
	configs []evidence.File
}

type runner struct {
	opts   Options
	engine *policy.Engine
	fleet  *config.Config
	asOf   time.Time
}

// each runs the stacks, at most Parallelism at once. Each result keeps
// only the evidence: a stack's snapshots are gone when check returns.
func (r runner) each(ctx context.Context, stacks []Stack, results []stackResult) {
	n := r.opts.Parallelism
	if n <= 0 {
		n = runtime.NumCPU()
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	if r.opts.Progress != nil {
		r.opts.Progress(0, len(stacks), "")
	}
	for i, st := range stacks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = r.stack(ctx, st)
			if r.opts.Progress != nil {
				mu.Lock()
				done++
				r.opts.Progress(done, len(stacks), st.Name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// stack runs one stack through check and records what it found, or why it
// could not be compared.
func (r runner) stack(ctx context.Context, st Stack) stackResult {
	res := stackResult{stack: evidence.Stack{Name: st.Name}}
	cfg := r.fleet
	if st.Config != "" {
		own, err := check.LoadConfig(st.Config, r.engine)
		if err != nil {
			return r.failed(res, st, cfg, evidence.StatusInputError, err.Error())
		}
		if own != nil && own.EnvPolicy != nil {
			// One engine judges the whole fleet: a stack cannot bring
			// policies of its own, and ignoring them would pass silently.
			return r.failed(res, st, cfg, evidence.StatusInputError, fmt.Sprintf(
				"%s: an env_policy block applies to the whole fleet in lockstep report; move it to the fleet's lockstep.hcl, whose env_policy judges every stack",
				own.EnvPolicy.Range.String()))
		}
		if f, err := fileDigest(st.Config); err == nil {
			res.configs = append(res.configs, f)
		}
		cfg = layer(r.fleet, own)
	}
	if r.fleet != nil {
		res.stack.Configs = append(res.stack.Configs, r.fleet.Filename)
	}
	if st.Config != "" {
		res.stack.Configs = append(res.stack.Configs, st.Config)
	}
	inputs := promotionOrder(st.Inputs, cfg)
	if len(inputs) < 2 {
		return r.failed(res, st, cfg, evidence.StatusNotComparable,
			fmt.Sprintf("only one environment (%s): there is nothing to compare it with", inputs[0].Name))
	}
	out, err := check.Evaluate(ctx, check.Options{Inputs: inputs, Today: r.asOf, PolicyTimeout: r.opts.PolicyTimeout, Policy: r.opts.Policy,
		MaxInputSize: r.opts.MaxInputSize, FailOn: r.opts.FailOn, Live: r.opts.Live, HCP: r.opts.HCP}, r.engine, cfg)
	if err != nil {
		return r.failed(res, st, cfg, evidence.StatusInputError, err.Error())
	}
	rep := out.Report
	s := &res.stack
	s.Status = evidence.StatusParity // Finalize tells parity from findings
	s.Environments = rep.EnvironmentNames()
	for _, f := range rep.Findings {
		s.Findings = append(s.Findings, evidence.Finding{Finding: f, ID: evidence.FindingID(st.Name, f), FirstSeen: r.asOf.Format(time.DateOnly)})
	}
	s.Declared = declared(cfg)
	s.Waivers = waivers(cfg, rep.Findings, r.asOf, r.opts.ExpiryWarningDays)
	for i, env := range rep.Environments {
		res.inputs = append(res.inputs, inputRecord(st.Name, env, out.Resources[i]))
	}
	return res
}

// failed records a stack that was not compared, with the evidence of its
// inputs as they are on disk.
func (r runner) failed(res stackResult, st Stack, cfg *config.Config, status evidence.Status, reason string) stackResult {
	res.stack.Status, res.stack.Reason = status, reason
	inputs := promotionOrder(st.Inputs, cfg)
	for _, in := range inputs {
		res.stack.Environments = append(res.stack.Environments, in.Name)
		res.inputs = append(res.inputs, unreadRecord(st.Name, in, r.opts.MaxInputSize))
	}
	res.stack.Declared = declared(cfg)
	res.stack.Waivers = []evidence.Waiver{}
	return res
}

// promotionOrder puts a stack's inputs in the config's promotion order;
// environments the promotion does not name follow, by name (check then
// reports them).
func promotionOrder(inputs []check.Input, cfg *config.Config) []check.Input {
	if cfg == nil || len(cfg.Promotion) == 0 {
		return inputs
	}
	rank := func(name string) int {
		if e := cfg.Environment(name); e != nil {
			name = e.Name
		}
		if i := slices.Index(cfg.Promotion, name); i >= 0 {
			return i
		}
		return len(cfg.Promotion)
	}
	out := slices.Clone(inputs)
	slices.SortStableFunc(out, func(a, b check.Input) int { return rank(a.Name) - rank(b.Name) })
	return out
}
