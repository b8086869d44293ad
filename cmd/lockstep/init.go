package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lockstep-iac/lockstep/baseline"
	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

const initLong = `Write a first lockstep.hcl from the differences between the environments today.

It checks the --env inputs (as lockstep check does, with the built-in rules and no config)
and writes: an environment block per --env, with aliases guessed from the words of their
resources' addresses (prod, stg, ...; marked as guesses); promotion in the --env order;
and one block per group of today's findings, each with reason = "TODO: ...":
  expect_difference  per resource type and attribute path (40 instance sizes are one block)
  only_in            per environment and resource type, for resources missing elsewhere
Every check warns about a TODO reason (unreviewed-declaration) until a person writes it.
Shared secrets, cross-environment references, one-sided changes, drift and version skew
are never declared: they must be fixed, and init lists them.

It never replaces an existing file without --force.

Exit codes:
  0  the file was written
  2  usage or input error, or the file exists (no --force); nothing is written`

// initFlags are the init command's flags as given.
type initFlags struct {
	envs       []string
	outputPath string
	stdout     bool
	force      bool
	allowSame  bool
	maxInput   string
}

func newInitCommand(stdout, stderr io.Writer) *cobra.Command {
	var fl initFlags
	cmd := &cobra.Command{
		Use:   "init --env NAME=PATH --env NAME=PATH ... [flags]",
		Short: "Write a lockstep.hcl that declares today's differences, for review",
		Long:  initLong,
		Example: `  lockstep init --env staging=staging.plan.json --env production=production.plan.json
  lockstep init --env dev=dev.tfstate --env staging=stg.tfstate --env production=prod.tfstate --stdout
  lockstep init --env staging=s.json --env production=p.json --output infra/lockstep.hcl --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInit(cmd, fl, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&fl.envs, "env", nil, "an environment and its input: NAME=PATH to a plan JSON, state JSON or raw .tfstate (repeat, in promotion order)")
	f.StringVarP(&fl.outputPath, "output", "o", check.DefaultConfigFile, "the file to write")
	f.BoolVar(&fl.stdout, "stdout", false, "print the file to standard output instead of writing it (the summary goes to standard error)")
	f.BoolVar(&fl.force, "force", false, "replace the --output file when it exists")
	f.BoolVar(&fl.allowSame, "allow-identical-inputs", false, "accept two environments whose inputs are byte-identical (the same sha256), which is otherwise an error")
	f.StringVar(&fl.maxInput, "max-input-size", readfile.Size(readfile.InputLimit), "refuse an --env file larger than this (bytes, or a number with KiB, MiB, GiB or TiB)")
	return cmd
}

func runInit(cmd *cobra.Command, fl initFlags, stdout, stderr io.Writer) error {
	if fl.stdout && (fl.force || cmd.Flags().Changed("output")) {
		return &check.UsageError{Msg: "--stdout prints the file instead of writing it: leave out --output and --force"}
	}
	opts := baseline.Options{Path: fl.outputPath, Check: check.Options{AllowIdenticalInputs: fl.allowSame}}
	var err error
	if opts.Check.MaxInputSize, err = readfile.ParseSize(fl.maxInput); err != nil {
		return &check.UsageError{Msg: "--max-input-size " + err.Error()}
	}
	for _, e := range fl.envs {
		in, err := parseInput(e)
		if err != nil {
			return err
		}
		opts.Check.Inputs = append(opts.Check.Inputs, in)
	}
	// Refuse before the work, not after it; WriteFile checks again.
	if !fl.stdout && !fl.force {
		if _, err := os.Lstat(fl.outputPath); err == nil {
			return &baseline.ExistsError{Path: fl.outputPath}
		}
	}
	res, err := baseline.Generate(cmd.Context(), opts)
	if err != nil {
		return flagError(err, nil)
	}
	if fl.stdout {
		if _, err := stdout.Write(res.File); err != nil {
			return fmt.Errorf("write standard output: %w", err)
		}
		fmt.Fprint(stderr, res.Summary(""))
		return nil
	}
	if err := baseline.WriteFile(fl.outputPath, res.File, fl.force); err != nil {
		var exists *baseline.ExistsError
		if errors.As(err, &exists) {
			return exists
		}
		return err
	}
	fmt.Fprint(stdout, res.Summary(fl.outputPath))
	return nil
}
