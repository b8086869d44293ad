package check

import "fmt"

// The library's errors speak of Options and files, never of command-line
// flags: cmd/lockstep maps their fields to the flags that set them, and a
// program using check as a library gets the fields to say it its own way.

// UsageError is a mistake in how the check was asked for.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// TooFewInputsError is a run given fewer than two environments
// (Options.Inputs): there is nothing to compare.
type TooFewInputsError struct{ Given int }

func (e *TooFewInputsError) Error() string {
	return fmt.Sprintf("lockstep compares environments: give at least two (Options.Inputs holds %d)", e.Given)
}

// UnknownEnvironmentError is an option that names an environment which is
// not one of Options.Inputs: Option is "Target" or "Sources"; Dir is the
// source directory given for Name.
type UnknownEnvironmentError struct {
	Option string
	Name   string
	Dir    string
}

func (e *UnknownEnvironmentError) Error() string {
	if e.Option == "Sources" {
		return fmt.Sprintf("source directory %s for %q: %q is not one of the environments of Options.Inputs", e.Dir, e.Name, e.Name)
	}
	return fmt.Sprintf("%s %q is not one of the environments of Options.Inputs", e.Option, e.Name)
}

// ConfigNotFoundError is an Options.ConfigFile that does not exist; Err
// is the read error, which names the file.
type ConfigNotFoundError struct {
	Path string
	Err  error
}

func (e *ConfigNotFoundError) Error() string {
	return fmt.Sprintf("%s: no such file (Options.ConfigFile); give the path of an existing lockstep.hcl, or leave ConfigFile empty to run without one", e.Path)
}

func (e *ConfigNotFoundError) Unwrap() error { return e.Err }

// FileRole is what a file is to a run: one it writes or one it reads.
type FileRole int

// The files of a run, as errors name them.
const (
	// FileReport is Destinations.Reports[Index].
	FileReport FileRole = iota
	// FileDumpInput is Destinations.DumpInput.
	FileDumpInput
	// FileStepSummary is Destinations.StepSummary.
	FileStepSummary
	// FileInput is environment Env's input file.
	FileInput
	// FileLockFile is environment Env's lock file beside its input.
	FileLockFile
	// FileConfigLockFile is environment Env's lock file that the config
	// file Dir names.
	FileConfigLockFile
	// FileConfig is lockstep.hcl.
	FileConfig
	// FileSource is a Terraform source file of the directory Dir.
	FileSource
	// FilePolicy is a rules or data file of the policy directory Dir.
	FilePolicy
)

// File names one file of a run in an error.
type File struct {
	Role FileRole
	// Path is the file as given; "" is standard output.
	Path string
	// Env is the environment of an input or lock file.
	Env string
	// Dir is the directory (or config file) a file was found through.
	Dir string
	// Index and Format are a report's place in Destinations.Reports and
	// its format.
	Index  int
	Format string
}

func (f File) String() string {
	switch f.Role {
	case FileReport:
		if f.Path == "" {
			return fmt.Sprintf("the %s report on standard output", f.Format)
		}
		return fmt.Sprintf("the %s report %s", f.Format, f.Path)
	case FileDumpInput:
		return "the input document file " + f.Path
	case FileStepSummary:
		return "the job summary " + f.Path
	case FileInput:
		return fmt.Sprintf("environment %s's input %s", f.Env, f.Path)
	case FileLockFile:
		return fmt.Sprintf("%s's lock file %s", f.Env, f.Path)
	case FileConfigLockFile:
		return fmt.Sprintf("%s's lock file %s (named in %s)", f.Env, f.Path, f.Dir)
	case FileConfig:
		return "the config file " + f.Path
	case FileSource:
		return "the Terraform source " + f.Path
	case FilePolicy:
		return fmt.Sprintf("the policy file %s (in %s)", f.Path, f.Dir)
	}
	return f.Path
}

// DestinationError is a file the run cannot write: Err says why.
type DestinationError struct {
	File File
	Err  error
}

func (e *DestinationError) Error() string { return e.File.String() + ": " + e.Err.Error() }

func (e *DestinationError) Unwrap() error { return e.Err }

// ConflictError is two destinations that are one file, Where as the
// earlier one gave it.
type ConflictError struct {
	First, Second File
	Where         string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s and %s would both write to %s; give each its own file", e.First, e.Second, e.Where)
}

// OverwriteError is a destination that is a file the run reads.
type OverwriteError struct {
	Output, Input File
}

func (e *OverwriteError) Error() string {
	return fmt.Sprintf("%s would overwrite %s, which this run reads; write to another file", e.Output, e.Input)
}
