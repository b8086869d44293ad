package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/workdir"
)

// Live configures reading environments from Terraform working directories
// (an Input whose Path is a root module's directory); see package workdir.
type Live struct {
	// Terraform is the binary (workdir.FindTerraform); "" when none was
	// found, which only a local backend's state can do without.
	Terraform string
	// Plan plans every directory input instead of reading its state;
	// lockstep.hcl can ask it per environment.
	Plan bool
	// Parallelism bounds how many environments are read at once; zero
	// means the number of CPUs.
	Parallelism int
	// Timeout bounds each environment's read; zero means
	// workdir.DefaultTimeout.
	Timeout time.Duration
	// Progress, when set, returns what an environment's read reports its
	// stages to (a terminal's progress lines).
	Progress func(env string) func(workdir.Stage)
	// Done, when set, is called once every directory input has been read,
	// before the rules run and the reports are written: the progress
	// lines end above the report, not in it.
	Done func()
	// Warnings, when set, receives what the user should know about the
	// reads before they start (standard error).
	Warnings io.Writer
}

// isWorkdir says whether an input names a Terraform working directory:
// a directory holding .tf files or .terraform. Any other directory stays
// a file input, whose reading explains that it is not a file.
func isWorkdir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir() && workdir.IsRootModule(path)
}

// liveSpecs are the reads of the directory inputs, with lockstep.hcl's
// environment settings (workspace, plan, var_files, vars).
func liveSpecs(inputs []Input, opts Options, c *config.Config) []workdir.Spec {
	var specs []workdir.Spec
	for _, in := range inputs {
		if !isWorkdir(in.Path) {
			continue
		}
		s := workdir.Spec{Env: in.Name, Dir: in.Path, Terraform: opts.Live.Terraform, Plan: opts.Live.Plan,
			Timeout: opts.Live.Timeout, MaxBytes: opts.MaxInputSize}
		if e := environment(c, in.Name); e != nil {
			s.Workspace, s.VarFiles, s.Vars = e.Workspace, e.VarFiles, e.Vars
			s.Plan = s.Plan || e.Plan
		}
		specs = append(specs, s)
	}
	warnDroppedVariables(specs, opts.Live)
	// The progress lines start after the warnings, which they would
	// otherwise draw over.
	for i := range specs {
		if opts.Live.Progress != nil {
			specs[i].Progress = opts.Live.Progress(specs[i].Env)
		}
	}
	return specs
}

// warnDroppedVariables says which TF_VAR_ variables plans do not get
// (workdir.DroppedVariables): a plan made without a value the user set
// would compare something else than the plan they would make by hand.
// Names only, never values.
func warnDroppedVariables(specs []workdir.Spec, l Live) {
	var plans []string
	for _, s := range specs {
		if s.Plan {
			plans = append(plans, s.Env)
		}
	}
	if l.Warnings == nil || len(plans) == 0 {
		return
	}
	names := workdir.DroppedVariables(os.Environ())
	if len(names) == 0 {
		return
	}
	fmt.Fprintf(l.Warnings, "lockstep: warning: the plans of %s do not get %s: Terraform runs with a private TF_DATA_DIR, and terraform-exec then passes no TF_VAR_ variable; give the values with vars or var_files in the environment blocks of lockstep.hcl\n",
		strings.Join(plans, ", "), strings.Join(names, ", "))
}

func environment(c *config.Config, name string) *config.Environment {
	if c == nil {
		return nil
	}
	return c.Environment(name)
}

// readFrom is a read's provenance as the report records it.
func readFrom(p workdir.Provenance) *report.ReadFrom {
	r := &report.ReadFrom{Kind: p.Kind, Dir: p.Dir, Workspace: p.Workspace, Backend: p.Backend, Via: p.Via,
		StateFile: p.StateFile, TerraformVersion: p.Terraform, Lineage: p.Lineage, PlanSHA256: p.PlanSHA256}
	if p.HasSerial {
		serial := p.Serial
		r.Serial = &serial
	}
	return r
}

// readLive reads the directory inputs side by side, bounded by
// Live.Parallelism, and returns them by environment name.
func readLive(specs []workdir.Spec, opts Options) (map[string]*workdir.Result, error) {
	if len(specs) == 0 {
		return nil, nil
	}
	results, errs := workdir.ReadAll(context.Background(), specs, opts.Live.Parallelism)
	if opts.Live.Done != nil {
		opts.Live.Done()
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := map[string]*workdir.Result{}
	for i, r := range results {
		out[specs[i].Env] = r
	}
	return out, nil
}
