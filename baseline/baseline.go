// Package baseline writes a first lockstep.hcl from the differences between
// environments today (`lockstep init`): environment blocks with guessed
// aliases, the promotion order, and one expect_difference or only_in block
// per group of attribute-divergence and missing-resource findings, each
// with a TODO reason that every check reports until a person writes it. It
// is a reviewed, commented config rather than an opaque suppression list:
// a team reads what it declares, block by block. Every other finding (a
// shared secret, a cross-environment reference, a one-sided change) must
// be fixed and is never declared; Generate returns it as remaining. The
// file is checked before it is returned: it is parsed back and the same
// inputs are checked with it, so what Generate says remains is what the
// next `lockstep check` reports.
package baseline

import (
	"context"
	"fmt"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
)

// Options configure Generate.
type Options struct {
	// Check reads the inputs: Inputs in promotion order, MaxInputSize,
	// Live, AllowIdenticalInputs, Today, PolicyTimeout. Its ConfigFile,
	// Policy, Target and Outputs are not used: the file is built from a
	// run of the built-in rules without any config.
	Check check.Options
	// Path is the name the file will have; it is parsed under that name,
	// so that diagnostics and locations read as they will once written.
	Path string
}

// Result is the generated file and what it does and does not declare.
type Result struct {
	// File is the lockstep.hcl text.
	File         []byte
	Environments []Environment
	Declarations []Declaration
	// Remaining are the findings a check of the same inputs with File
	// still reports (not waived, unreviewed-declaration aside), in report
	// order: what must be fixed rather than declared.
	Remaining []report.Finding
}

// Generate checks the inputs, groups the findings into declarations,
// renders the file and checks the inputs again with it. An input error is
// returned as check.Evaluate returns it; a generated file that does not
// parse is a bug, returned as an error rather than written.
func Generate(ctx context.Context, opts Options) (*Result, error) {
	engine, err := policy.New(ctx, policy.Options{})
	if err != nil {
		return nil, err
	}
	copts := opts.Check
	copts.ConfigFile, copts.Target, copts.Policy, copts.Outputs, copts.Sources = "", "", policy.Options{}, check.Destinations{}, nil
	doc, err := check.Document(copts, nil)
	if err != nil {
		return nil, err
	}
	envs := guessAliases(doc)
	// The first run already knows the aliases, so that resources whose
	// names carry them are matched, not reported missing twice.
	first, err := parse(render(envs, nil), opts.Path)
	if err != nil {
		return nil, err
	}
	res, err := check.Evaluate(ctx, copts, engine, first)
	if err != nil {
		return nil, err
	}
	decls := group(res.Report.Findings, doc.Environments)
	file := render(envs, decls)
	cfg, err := parse(file, opts.Path)
	if err != nil {
		return nil, err
	}
	res, err = check.Evaluate(ctx, copts, engine, cfg)
	if err != nil {
		return nil, err
	}
	var remaining []report.Finding
	for _, f := range res.Report.Findings {
		if !f.Waived && f.Rule != "unreviewed-declaration" {
			remaining = append(remaining, f)
		}
	}
	return &Result{File: file, Environments: envs, Declarations: decls, Remaining: remaining}, nil
}

func parse(src []byte, path string) (*config.Config, error) {
	cfg, err := config.Parse(src, path, config.Options{})
	if err != nil {
		return nil, fmt.Errorf("lockstep init wrote a config it cannot read back (a bug; please report it): %w", err)
	}
	return cfg, nil
}
