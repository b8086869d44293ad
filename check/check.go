// Package check runs the whole pipeline for `lockstep check`: read every
// environment's input, match and compare them, judge the facts with the
// rules, apply waivers, and assemble the report. It is the one place that
// knows the order of the stages, so the CLI only wires flags to Options and
// the stages never reach back into each other.
package check

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// ToolVersion is lockstep's version, written into every report.
var ToolVersion = "0.1.0"

// DefaultPolicyTimeout is --policy-timeout's default.
const DefaultPolicyTimeout = 30 * time.Second

// UsageError is a mistake in how lockstep was invoked.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Result is what a run produces, before anything is written.
type Result struct {
	Report *report.Report
	// Input is the policy input document as --dump-input writes it, when
	// Options.DumpInput is set.
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
	engine, err := policy.New(ctx, opts.Policy)
	if err != nil {
		return nil, err
	}
	if opts.Debug != nil {
		for _, r := range engine.Rules() {
			if !r.Builtin {
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
	res, err := Evaluate(ctx, opts, engine, cfg)
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
	inputs, snaps, doc, err := build(opts, cfg)
	if err != nil {
		return nil, err
	}
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
	input, err := doc.Value()
	if err != nil {
		return nil, err
	}
	timeout := opts.PolicyTimeout
	if timeout <= 0 {
		timeout = DefaultPolicyTimeout
	}
	ectx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	settings := Settings(cfg)
	findings, err := engine.Evaluate(ectx, input, settings)
	if err != nil {
		return nil, err
	}
	today := opts.Today
	if today.IsZero() {
		today = time.Now()
	}
	var waivers []policy.WaiverStatus
	if cfg != nil {
		waivers = policy.ApplyWaivers(findings, cfg.Waivers, today)
	}
	winput, err := policy.NewWaiverInput(doc.Environments, today, waivers)
	if err != nil {
		return nil, err
	}
	wfindings, err := engine.EvaluateWaivers(ectx, winput, settings)
	if err != nil {
		return nil, err
	}
	findings = append(findings, wfindings...)
	locate(findings, indexes)
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
			TerraformVersion: s.TerraformVersion, SHA256: s.SHA256,
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
			Remediation: r.Remediation, HelpURI: r.HelpURI, Builtin: r.Builtin}
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
// --dump-input writes and what `lockstep test`'s lockstep.input_from
// returns.
func Document(opts Options, cfg *config.Config) (*policy.Document, error) {
	_, _, doc, err := build(opts, cfg)
	return doc, err
}

// build runs the stages before the rules: read, match, compare.
func build(opts Options, cfg *config.Config) ([]Input, []*snapshot.Snapshot, *policy.Document, error) {
	inputs, err := order(opts, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	snaps, err := readAll(inputs, opts.MaxInputSize)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := readLockFiles(inputs, snaps, cfg); err != nil {
		return nil, nil, nil, err
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
		for _, d := range c.ExpectDifferences {
			var decl parity.Declared
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
		return nil, nil, nil, &UsageError{Msg: err.Error()}
	}
	return inputs, snaps, policy.NewDocument(facts, popts.Envs), nil
}

// encodeDocument is the policy input document as --dump-input writes it.
func encodeDocument(doc *policy.Document) ([]byte, error) {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode policy input: %w", err)
	}
	return append(b, '\n'), nil
}

// Settings turns lockstep.hcl's rule blocks into engine settings.
func Settings(c *config.Config) policy.Settings {
	s := policy.Settings{}
	if c == nil {
		return s
	}
	for _, r := range c.Rules {
		s[r.ID] = policy.Setting{Disabled: r.Enabled != nil && !*r.Enabled, Severity: r.Severity}
	}
	return s
}

// order validates the inputs and puts them in promotion order: the config's
// promotion list when it has one, otherwise the order of the --env flags.
func order(opts Options, c *config.Config) ([]Input, error) {
	if len(opts.Inputs) < 2 {
		return nil, &UsageError{Msg: "lockstep compares environments: give at least two, for example --env staging=staging.json --env production=production.json"}
	}
	seen := map[string]bool{}
	for _, in := range opts.Inputs {
		if seen[in.Name] {
			return nil, &UsageError{Msg: fmt.Sprintf("environment %q is given twice", in.Name)}
		}
		seen[in.Name] = true
	}
	if opts.Target != "" && !seen[opts.Target] {
		return nil, &UsageError{Msg: fmt.Sprintf("--target %q is not one of the environments given with --env", opts.Target)}
	}
	if c == nil {
		return opts.Inputs, nil
	}
	if len(c.Environments) > 0 {
		for _, in := range opts.Inputs {
			if c.Environment(in.Name) == nil {
				return nil, &UsageError{Msg: fmt.Sprintf("environment %q is not declared in %s; add `environment %q {}`", in.Name, c.Filename, in.Name)}
			}
		}
	}
	if len(c.Promotion) == 0 {
		return opts.Inputs, nil
	}
	rank := map[string]int{}
	for i, name := range c.Promotion {
		rank[name] = i
	}
	out := make([]Input, 0, len(opts.Inputs))
	for _, name := range c.Promotion {
		for _, in := range opts.Inputs {
			if in.Name == name {
				out = append(out, in)
			}
		}
	}
	for _, in := range opts.Inputs {
		if _, ok := rank[in.Name]; !ok {
			return nil, &UsageError{Msg: fmt.Sprintf("environment %q is not in the promotion list of %s (%s)", in.Name, c.Filename, strings.Join(c.Promotion, ", "))}
		}
	}
	return out, nil
}

// readAll parses the inputs concurrently with one hashing key, fresh per run,
// so sensitive values compare within the run and hashes mean nothing outside.
// It decodes every input first and redacts each with what all of them mark
// sensitive: a value marked in one environment is a secret in every other.
func readAll(inputs []Input, maxSize int64) ([]*snapshot.Snapshot, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("make hashing key: %w", err)
	}
	// The same file named for two environments is read once: one snapshot,
	// one error.
	paths := []string{}
	index := map[string]int{}
	for _, in := range inputs {
		if _, ok := index[in.Path]; !ok {
			index[in.Path] = len(paths)
			paths = append(paths, in.Path)
		}
	}
	decoded := make([]*parser.Decoded, len(paths))
	errs := make([]error, len(paths))
	parallel(len(paths), func(i int) {
		decoded[i], errs[i] = parser.DecodeFile(paths[i], parser.Options{Key: key, MaxInputSize: maxSize})
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// paths is in promotion order, which numbers the secrets.
	marks := parser.Union(decoded...)
	read := make([]*snapshot.Snapshot, len(paths))
	parallel(len(paths), func(i int) {
		read[i] = decoded[i].Snapshot(marks)
		decoded[i] = nil
	})
	snaps := make([]*snapshot.Snapshot, len(inputs))
	for i, in := range inputs {
		snaps[i] = read[index[in.Path]]
	}
	return snaps, nil
}

// parallel runs f(0) to f(n-1), as many at once as there are CPUs.
func parallel(n int, f func(int)) {
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}

// readLockFiles reads each environment's .terraform.lock.hcl: the one
// lockstep.hcl names for it, or else one beside its input file. A lock file
// named in lockstep.hcl must exist; one beside the input is optional.
func readLockFiles(inputs []Input, snaps []*snapshot.Snapshot, c *config.Config) error {
	cache := map[string]*parser.LockFile{}
	for i, in := range inputs {
		path, explicit := "", false
		if c != nil {
			path = c.Lockfile(in.Name)
			explicit = path != ""
		}
		if !explicit {
			path = filepath.Join(filepath.Dir(in.Path), ".terraform.lock.hcl")
			// Only a name that is not there at all means "no lock file":
			// a dangling link, a loop or a directory is reported.
			if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
				continue
			}
		}
		lf, ok := cache[path]
		if !ok {
			var err error
			if lf, err = parser.ReadLockFile(path); err != nil {
				if _, lerr := os.Lstat(path); explicit && errors.Is(lerr, fs.ErrNotExist) {
					return &parser.InputError{File: path, Problem: fmt.Sprintf("the lock file that %s names for environment %q does not exist", c.Filename, in.Name),
						Hint: "fix the lockfile path in lockstep.hcl (it is relative to that file), or run `terraform init` to create the lock file"}
				}
				return err
			}
			cache[path] = lf
		}
		// Snapshots are shared when two environments read the same file;
		// give each its own copy before attaching environment data.
		s := *snaps[i]
		s.Providers = map[string]string{}
		for name, p := range lf.Providers {
			s.Providers[name] = p.Version
		}
		s.LockFile = path
		snaps[i] = &s
	}
	return nil
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

// LoadConfig reads lockstep.hcl: the path given, which must exist, or
// DefaultConfigFile when path is "" and it exists. Waivers may name any
// rule of the engine that judges the facts, built-in or user; rule blocks
// may name any rule.
func LoadConfig(path string, engine *policy.Engine) (*config.Config, error) {
	explicit := path != ""
	if !explicit {
		path = DefaultConfigFile
		// Only a name that is not there at all means "no config": a
		// dangling link, a loop, a directory or an unreadable file is
		// reported, since ignoring it would silently drop every waiver and
		// declared difference.
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	cfg, err := config.Load(path, config.Options{KnownRules: engine.IDs(""), AllRules: engine.IDs("*")})
	var re *readfile.Error
	if errors.As(err, &re) && re.Hint == "" && errors.Is(err, fs.ErrNotExist) {
		re.Problem = "no such file (the lockstep.hcl given with --config)"
		re.Hint = "give the path of an existing lockstep.hcl, or leave --config out to run without one"
	}
	return cfg, err
}
