package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/internal/progress"
	"github.com/lockstep-iac/lockstep/workdir"
)

// liveFlags configure --env NAME=DIR inputs, read through Terraform.
type liveFlags struct {
	terraform   string
	plan        bool
	parallelism int
	timeout     time.Duration
	quiet       bool
}

func (l *liveFlags) register(f *pflag.FlagSet) {
	f.StringVar(&l.terraform, "terraform", "", "the Terraform or OpenTofu binary for --env NAME=DIR inputs (default: $TERRAFORM, else terraform or tofu on PATH)")
	f.BoolVar(&l.plan, "plan", false, "plan every --env NAME=DIR input (terraform plan, then show -json) instead of reading its state")
	f.IntVar(&l.parallelism, "parallelism", 0, "read at most this many --env NAME=DIR inputs at once (default: the number of CPUs)")
	f.DurationVar(&l.timeout, "input-timeout", workdir.DefaultTimeout, "stop reading an --env NAME=DIR input after this long (a held lock, a prompt) and fail with exit 2")
	f.BoolVar(&l.quiet, "quiet", false, "print nothing on standard error while reading --env NAME=DIR inputs: no progress, no warning about them")
}

// options fills check.Live; progress is shown on stderr only when it is a
// terminal and --quiet is not given, and --quiet silences the reads'
// warnings too (issue 14: nothing is printed with --quiet). The returned function ends the
// progress display when the run stopped before reading the inputs.
func (l *liveFlags) options(opts *check.Options, stderr io.Writer) (func(), error) {
	if l.parallelism < 0 {
		return nil, &check.UsageError{Msg: fmt.Sprintf("--parallelism %d: give a positive number, or 0 for the number of CPUs", l.parallelism)}
	}
	if l.timeout <= 0 {
		return nil, &check.UsageError{Msg: fmt.Sprintf("--input-timeout %s: give a positive duration, for example --input-timeout 5m", l.timeout)}
	}
	tf, err := workdir.FindTerraform(l.terraform, os.Getenv)
	if err != nil {
		return nil, &check.UsageError{Msg: err.Error()}
	}
	opts.Live = check.Live{Terraform: tf, Plan: l.plan, Parallelism: l.parallelism, Timeout: l.timeout}
	if !l.quiet {
		opts.Live.Warnings = stderr
	}
	f, isFile := stderr.(*os.File)
	d := progress.New(stderr, !l.quiet && isFile && progress.Terminal(f))
	opts.Live.Progress, opts.Live.Done = d.Track, d.Wait
	return d.Wait, nil
}
