package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lockstep-iac/lockstep/check"
)

// flagError puts the check library's typed errors, which speak of Options
// and files, in the language of the flags that set them. outputs names each
// of Destinations.Reports as its flag asked for it ("--format json=r.json",
// "--output r.json"). Any other error is returned as it is.
func flagError(err error, outputs []string) error {
	if err == nil {
		return nil
	}
	name := func(f check.File) string { return flagFile(f, outputs) }
	var (
		few   *check.TooFewInputsError
		unk   *check.UnknownEnvironmentError
		cnf   *check.ConfigNotFoundError
		dest  *check.DestinationError
		clash *check.ConflictError
		over  *check.OverwriteError
		same  *check.IdenticalInputsError
	)
	var msg string
	var lib error
	switch {
	case errors.As(err, &few):
		lib, msg = few, "lockstep compares environments: give at least two, for example --env staging=staging.json --env production=production.json"
	case errors.As(err, &unk) && unk.Option == "Sources":
		lib, msg = unk, fmt.Sprintf("--source %s=%s: %q is not one of the environments given with --env", unk.Name, unk.Dir, unk.Name)
	case errors.As(err, &unk):
		lib, msg = unk, fmt.Sprintf("--%s %q is not one of the environments given with --env", strings.ToLower(unk.Option), unk.Name)
	case errors.As(err, &cnf):
		lib, msg = cnf, cnf.Path+": no such file (the lockstep.hcl given with --config); give the path of an existing lockstep.hcl, or leave --config out to run without one"
	case errors.As(err, &dest):
		lib, msg = dest, name(dest.File)+": "+dest.Err.Error()
	case errors.As(err, &clash):
		lib, msg = clash, fmt.Sprintf("%s and %s would both write to %s; give each its own file", name(clash.First), name(clash.Second), clash.Where)
	case errors.As(err, &over):
		lib, msg = over, fmt.Sprintf("%s would overwrite %s, which this run reads; write to another file", name(over.Output), name(over.Input))
	case errors.As(err, &same):
		lib, msg = same, fmt.Sprintf("--env %s=%s and --env %s=%s are identical inputs (sha256 %s): comparing an input with itself proves nothing, so check that each environment gets its own plan or state; add --allow-identical-inputs when this is deliberate",
			same.First.Name, same.First.Path, same.Second.Name, same.Second.Path, same.SHA256)
	default:
		return err
	}
	// Whatever context wraps the library's error stays; the error itself
	// is said in flags.
	return &check.UsageError{Msg: strings.Replace(err.Error(), lib.Error(), msg, 1)}
}

// flagFile names a file of the run by the flag that gave it.
func flagFile(f check.File, outputs []string) string {
	switch f.Role {
	case check.FileReport:
		if f.Index < len(outputs) {
			return outputs[f.Index]
		}
	case check.FileDumpInput:
		return "--dump-input " + f.Path
	case check.FileStepSummary:
		return "the job summary $GITHUB_STEP_SUMMARY (" + f.Path + ") that --format github appends to"
	case check.FileInput:
		return fmt.Sprintf("--env %s=%s", f.Env, f.Path)
	case check.FileSource:
		return f.String() + " (--source)"
	case check.FilePolicy:
		return fmt.Sprintf("the policy file %s (--policy %s)", f.Path, f.Dir)
	}
	return f.String()
}
