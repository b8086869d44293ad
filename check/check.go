// Package check runs the whole pipeline for `lockstep check`: read every
// environment's input, match and compare them, judge the facts with the
// rules, apply waivers, and assemble the report. It is the one place that
// knows the order of the stages, so the CLI only wires flags to Options and
// the stages never reach back into each other.
package check

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// ToolVersion is lockstep's version, written into every report.
var ToolVersion = "0.1.0"

// DefaultPolicyTimeout bounds the rules' evaluation when
// Options.PolicyTimeout is zero.
const DefaultPolicyTimeout = 30 * time.Second

// Result is what a run produces, before anything is written.
type Result struct {
	Report *report.Report
	// Input is the policy input document, encoded as Destinations.DumpInput
	// receives it, when Options.Outputs.DumpInput is set.
	Input []byte
	// Resources counts the resources read per environment, in the order
	// of Report.Environments: the complete counts of `lockstep report`.
	Resources []int
	// inputs are the files the run read, which no output may replace.
	inputs []inputFile
}

// Run executes the whole check: it builds the rule engine, reads
// lockstep.hcl, refuses outputs that would replace an input, reads and
// compares the inputs, judges them, and writes Options.Outputs, all or
// none. It returns the report, when the rules could judge, and an
// *ExitError: ExitFindings when a finding that is not waived reaches
// Options.FailOn, ExitFailure for an input, config, usage or policy error;
// nil means exit 0.
func Run(ctx context.Context, opts Options) (*report.Report, error) {
	rep, err := run(ctx, opts)
	switch {
	case err != nil:
		return rep, &ExitError{Code: ExitFailure, Err: err}
	case failed(rep, opts.FailOn):
		return rep, &ExitError{Code: ExitFindings}
	}
	return rep, nil
}

func run(ctx context.Context, opts Options) (*report.Report, error) {
	unchecked, uerr := LoadConfig(opts.ConfigFile, nil)
	opts.Policy = withEnvPolicy(opts.Policy, unchecked, uerr)
	type compiled struct {
		engine *policy.Engine
		err    error
	}
	done := make(chan compiled, 1)
	go func() {
		e, err := policy.New(ctx, opts.Policy)
		done <- compiled{e, err}
	}()
	// The inputs are read while the rules compile (the compiler's tens of
	// milliseconds are most of a small run), when that changes nothing a
	// user can see: every input a file (a directory or a workspace would
	// run Terraform or reach HCP Terraform, which an error found next must
	// prevent), the config loading and no output replacing an input. The
	// config is then checked against the rules; its errors, and the
	// engine's, still come before the inputs'.
	var early *built
	var earlyErr error
	if uerr == nil && filesOnly(opts, unchecked) && opts.Outputs.Check(opts, unchecked) == nil {
		early, earlyErr = build(ctx, opts, unchecked)
	}
	c := <-done
	engine, err := c.engine, c.err
	if err != nil {
		return nil, err
	}
	if opts.Warnings != nil {
		for _, n := range engine.Notices() {
			fmt.Fprintf(opts.Warnings, "lockstep: warning: %s\n", n)
		}
	}
	if opts.Debug != nil {
		for _, r := range engine.Rules() {
			switch {
			case r.Scope == policy.ScopeEnvironment:
				fmt.Fprintf(opts.Debug, "lockstep: debug: per-environment rule %s (%s, %s.%s at %s:%d)\n", r.ID, r.Severity, strings.TrimPrefix(r.Package, "data."), r.Name, r.File, r.Line)
			case !r.Builtin:
				fmt.Fprintf(opts.Debug, "lockstep: debug: user rule %s (%s, %s.%s at %s:%d)\n", r.ID, r.Severity, strings.TrimPrefix(r.Package, "data."), r.Name, r.File, r.Line)
			}
		}
	}
	cfg, err := LoadConfig(opts.ConfigFile, engine)
	if err != nil {
		return nil, err
	}
	// Refuse an output that would replace an input before the run, not
	// after it; WriteOutputs checks again.
	if err := opts.Outputs.Check(opts, cfg); err != nil {
		return nil, err
	}
	if early == nil && earlyErr == nil {
		early, earlyErr = build(ctx, opts, cfg)
	}
	if earlyErr != nil {
		return nil, earlyErr
	}
	res, err := evaluate(ctx, opts, engine, cfg, early)
	if err != nil {
		return nil, err
	}
	stdout := opts.Stdout
	if stdout == nil {
		stdout = io.Discard
	}
	if err := WriteOutputs(res, opts.Outputs, stdout); err != nil {
		return res.Report, err
	}
	return res.Report, nil
}

// Evaluate executes the pipeline with an engine and a config already
// loaded, and writes nothing: the caller writes the report and the input
// document with WriteOutputs, all or none. Every error it returns is an
// input, config, usage or policy error.
func Evaluate(ctx context.Context, opts Options, engine *policy.Engine, cfg *config.Config) (*Result, error) {
	b, err := build(ctx, opts, cfg)
	if err != nil {
		return nil, err
	}
	return evaluate(ctx, opts, engine, cfg, b)
}

// filesOnly reports whether every input of the run is a file (or held in
// memory): reading them runs nothing and reaches nothing.
func filesOnly(opts Options, cfg *config.Config) bool {
	inputs, err := order(opts, cfg)
	if err != nil {
		return false
	}
	for _, in := range inputs {
		if isRemote(in) || isWorkdir(in.Path) {
			return false
		}
	}
	return true
}

// evaluate is Evaluate with the inputs already read and compared.
func evaluate(ctx context.Context, opts Options, engine *policy.Engine, cfg *config.Config, b *built) (*Result, error) {
	var err error
	inputs, snaps, from, doc := b.inputs, b.snaps, b.from, b.doc
	dirs, err := sourceDirs(inputs, opts, cfg)
	if err != nil {
		return nil, err
	}
	indexes, err := loadSources(dirs)
	if err != nil {
		return nil, err
	}
	res := &Result{inputs: inputFiles(opts, cfg)}
	if opts.Outputs.DumpInput != "" {
		if res.Input, err = encodeDocument(doc); err != nil {
			return nil, err
		}
	}
	timeout := opts.PolicyTimeout
	if timeout <= 0 {
		timeout = DefaultPolicyTimeout
	}
	ectx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	settings := Settings(cfg)
	findings, err := engine.EvaluateDocument(ectx, doc, settings)
	if err != nil {
		return nil, err
	}
	efindings, err := evaluateEnv(ectx, engine, inputs, snaps, b.env, settings)
	if err != nil {
		return nil, err
	}
	findings = append(findings, efindings...)
	findings = policy.Supersede(findings)
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	var waivers []policy.WaiverStatus
	if cfg != nil {
		waivers = policy.ApplyWaivers(findings, cfg.Waivers, today)
	}
	winput, err := policy.NewWaiverInput(doc.Environments, today, waivers, policy.Declarations(cfg, doc.Usage))
	if err != nil {
		return nil, err
	}
	wfindings, err := engine.EvaluateWaivers(ectx, winput, settings)
	if err != nil {
		return nil, err
	}
	findings = append(findings, wfindings...)
	locate(findings, indexes)
	if err := locateValues(findings, indexes, cfg); err != nil {
		return nil, err
	}
	rep := &report.Report{
		Version:  report.SchemaVersion,
		Tool:     report.Tool{Name: "lockstep", Version: ToolVersion},
		Findings: findings,
	}
	if rep.Findings == nil {
		rep.Findings = []report.Finding{}
	}
	for i, in := range inputs {
		s := snaps[i]
		rep.Environments = append(rep.Environments, report.Environment{
			Name: in.Name, Source: in.Path, Kind: string(s.Kind),
			TerraformVersion: s.TerraformVersion, SHA256: s.SHA256, Tool: s.Tool, ReadFrom: from[i],
		})
		res.Resources = append(res.Resources, len(s.Resources))
	}
	rep.Rules = reportRules(engine, settings)
	rep.Sort()
	rep.Summarize()
	res.Report = rep
	return res, nil
}

// RulesDocURL is where the built-in rules are documented; a rule's id is
// its anchor there. It is each built-in rule's help URI in SARIF.
const RulesDocURL = "https://github.com/lockstep-iac/lockstep/blob/main/docs/rules.md"

// reportRules lists the rules the run evaluated, with their documentation,
// for the formats that describe rules (SARIF, JUnit).
func reportRules(engine *policy.Engine, settings policy.Settings) []report.Rule {
	var out []report.Rule
	for _, r := range engine.Rules() {
		s := settings[r.ID]
		if s.Disabled {
			continue
		}
		rr := report.Rule{ID: r.ID, Title: r.Title, Severity: r.Severity, Description: r.Description,
			Remediation: r.Remediation, HelpURI: r.HelpURI, Builtin: r.Builtin, Scope: r.Scope}
		if s.Severity != "" {
			rr.Severity = s.Severity
		}
		if r.Builtin {
			rr.HelpURI = RulesDocURL + "#" + r.ID
		}
		out = append(out, rr)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	// Two user rules may share an id (documented); the report describes
	// the id once, as its findings are one group.
	return slices.CompactFunc(out, func(a, b report.Rule) bool { return a.ID == b.ID })
}

// Document reads and compares the inputs and returns the policy input
// document the rules would see, without evaluating any rule: what
// Destinations.DumpInput receives and what `lockstep test`'s lockstep.input_from
// returns.
func Document(opts Options, cfg *config.Config) (*policy.Document, error) {
	b, err := build(context.Background(), opts, cfg)
	if err != nil {
		return nil, err
	}
	return b.doc, nil
}

// built is what the stages before the rules produce.
type built struct {
	inputs []Input
	snaps  []*snapshot.Snapshot
	from   []*report.ReadFrom
	doc    *policy.Document
	// env is nil without --env-policy rules.
	env *envDocs
}

// build runs the stages before the rules: read, match, compare.
func build(ctx context.Context, opts Options, cfg *config.Config) (*built, error) {
	inputs, err := order(opts, cfg)
	if err != nil {
		return nil, err
	}
	snaps, from, env, err := readAll(ctx, inputs, opts, cfg)
	if err != nil {
		return nil, err
	}
	if !opts.AllowIdenticalInputs {
		if err := checkIdentical(inputs, snaps); err != nil {
			return nil, err
		}
	}
	if err := readLockFiles(inputs, snaps, cfg); err != nil {
		return nil, err
	}
	popts := parity.Options{Target: opts.Target}
	for i, in := range inputs {
		var aliases []string
		if cfg != nil {
			aliases = cfg.Aliases(in.Name)
		}
		popts.Envs = append(popts.Envs, parity.Env{Name: in.Name, Aliases: aliases, Snapshot: snaps[i]})
	}
	if c := cfg; c != nil {
		var names []string
		for _, in := range inputs {
			names = append(names, in.Name)
		}
		if err := c.CheckScopes(names); err != nil {
			return nil, err
		}
		for _, d := range c.ExpectDifferences {
			decl := parity.Declared{Envs: d.Environments}
			for _, p := range d.Resources {
				decl.Resources = append(decl.Resources, p)
			}
			for _, p := range d.Attributes {
				decl.Attributes = append(decl.Attributes, p)
			}
			popts.Declared = append(popts.Declared, decl)
		}
		for _, o := range c.OnlyIn {
			oi := parity.OnlyIn{Env: o.Environment}
			for _, p := range o.Resources {
				oi.Resources = append(oi.Resources, p)
			}
			popts.OnlyIn = append(popts.OnlyIn, oi)
		}
	}
	facts, err := parity.Build(popts)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return &built{inputs: inputs, snaps: snaps, from: from, doc: policy.NewDocument(facts, popts.Envs), env: env}, nil
}

// encodeDocument is the policy input document as Destinations.DumpInput
// receives it.
func encodeDocument(doc *policy.Document) ([]byte, error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode policy input: %w", err)
	}
	return append(b, '\n'), nil
}

// failed reports whether a finding that is not waived reaches failOn.
func failed(r *report.Report, failOn FailOn) bool {
	switch failOn {
	case FailOnNever:
		return false
	case FailOnWarning:
		return r.Summary.Errors+r.Summary.Warnings > 0
	}
	return r.Summary.Errors > 0
}
