package check

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/policy"
)

// Options configure a check, in the terms of the library: cmd/lockstep
// turns its flags into them, and a program using lockstep as a library
// fills them directly (see the example in library_test.go).
type Options struct {
	Inputs []Input
	// ConfigFile is lockstep.hcl. "" reads DefaultConfigFile when it
	// exists and runs without a config when it does not; a file named here
	// must exist.
	ConfigFile string
	Target     string
	// Today decides which waivers have expired; zero means now.
	Today time.Time
	// Policy configures the engine Run builds: user rule directories,
	// the sandbox, print() and trace output. Its PolicyDirs and
	// EnvPolicyDirs are inputs that no output may replace.
	Policy policy.Options
	// Debug, when set, receives one line per user rule loaded.
	Debug io.Writer
	// Warnings, when set, receives one line per thing the user should know
	// that is not a finding or an error: a --policy directory from which
	// no rule loads (policy.Engine.Notices).
	Warnings io.Writer
	// PolicyTimeout bounds the evaluation of all rules; zero means
	// DefaultPolicyTimeout.
	PolicyTimeout time.Duration
	// Sources maps an environment name (or alias) to its Terraform
	// configuration directory, over lockstep.hcl's environment.source; the
	// key "" applies to every environment. Findings are located there.
	Sources map[string]string
	// MaxInputSize bounds the size of each input file; zero means
	// readfile.InputLimit.
	MaxInputSize int64
	// AllowIdenticalInputs accepts two environments whose inputs are
	// byte-identical (one SHA-256), which is otherwise an
	// *IdenticalInputsError.
	AllowIdenticalInputs bool
	// Live configures the inputs that are Terraform working directories
	// rather than files.
	Live Live
	// FailOn is the severity at which Run's error says exit 1.
	FailOn FailOn
	// Outputs are what Run writes once the rules have been evaluated, all
	// or none (WriteOutputs); Stdout receives the outputs without a file
	// (io.Discard when nil).
	Outputs Destinations
	Stdout  io.Writer
	// HCP reads the inputs whose Path is hcp:ORG/WORKSPACE (the
	// workspace's current state through the HCP Terraform API); nil makes
	// such an input a *UsageError.
	HCP *hcp.Client
	// InputData holds inputs already read, by environment name (a run
	// task's plan, downloaded by the server): such an input is not read
	// from its Path, which then only names it in errors and the report.
	InputData map[string][]byte
}

// DefaultConfigFile is the lockstep.hcl read when Options.ConfigFile is "".
const DefaultConfigFile = "lockstep.hcl"

// FailOn is the severity from which findings fail a run.
type FailOn int

// Fail-on levels; the zero value is FailOnError.
const (
	FailOnError FailOn = iota
	FailOnWarning
	FailOnNever
)

var failOnNames = []string{"error", "warning", "never"}

func (f FailOn) String() string {
	if int(f) < len(failOnNames) {
		return failOnNames[f]
	}
	return fmt.Sprintf("FailOn(%d)", int(f))
}

// ParseFailOn reads a fail-on level by name; anything else is an error,
// never a silent "error".
func ParseFailOn(s string) (FailOn, error) {
	for i, n := range failOnNames {
		if s == n {
			return FailOn(i), nil
		}
	}
	return 0, fmt.Errorf("unknown fail-on level %q: use %s", s, strings.Join(failOnNames, ", "))
}

// Exit codes.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitFailure  = 2
)

// ExitError is every error Run returns: the exit code it means, and the
// cause. Code ExitFindings has no cause to print: the findings reached
// Options.FailOn, and the report says which.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("findings at or above the fail-on level (exit %d)", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode is the exit code an error from Run means: 0 for nil, the
// ExitError's code, else ExitFailure (2).
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitFailure
}

// Input names one environment and the file to read it from.
type Input struct {
	Name string
	// Path is a plan or state file, a Terraform working directory, or
	// hcp:ORG/WORKSPACE for an HCP Terraform workspace's current state.
	Path string
}

// SplitInput splits NAME=PATH, trimmed; ok is false when either is empty.
// cmd/lockstep (--env) and lockstep.input_from (env) say why.
func SplitInput(s string) (in Input, ok bool) {
	name, path, ok := strings.Cut(s, "=")
	name, path = strings.TrimSpace(name), strings.TrimSpace(path)
	if !ok || name == "" || path == "" {
		return Input{}, false
	}
	return Input{Name: name, Path: path}, true
}
