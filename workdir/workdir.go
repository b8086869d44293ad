// Package workdir reads one environment from where Terraform keeps it: a
// working directory (a root module) and a workspace, instead of a file
// exported by hand. It runs Terraform through HashiCorp's terraform-exec,
// `terraform state pull` for the current state or `terraform plan -out` then
// `terraform show -json` in plan mode, so every backend Terraform supports
// works with the credentials the user already has. A local backend's state
// is read straight from its file, Terraform or not: `state pull` prints the
// same bytes after seconds of decoding and re-encoding a large state, and
// only a file Terraform must transform or refuse (encrypted by OpenTofu, of
// a format older than version 4, or behind a backend block changed since
// init) is read through it. The bytes it returns are
// what the parser reads from a file, with a display name for the parser's
// errors and a Provenance saying exactly how they were obtained. Nothing is
// ever written into the directory: the workspace is selected per command in
// a private data directory, and the plan file lives in a private temporary
// directory removed afterwards.
package workdir

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// Defaults.
const (
	// DefaultTimeout bounds each environment's read: a Terraform waiting
	// for a lock or a credential prompt must not hang the run.
	DefaultTimeout = 5 * time.Minute
	// DefaultKillDelay is how long an interrupted Terraform gets to release
	// its lock before it is killed.
	DefaultKillDelay = 10 * time.Second
)

// Spec is one environment to read.
type Spec struct {
	// Env is the environment's name, used in errors and as the default
	// workspace.
	Env string
	// Dir is the root module's directory.
	Dir string
	// Workspace is the workspace to read. Empty means the environment's
	// name, or "default" when that is the directory's only workspace (a
	// directory-per-environment layout).
	Workspace string
	// Terraform is the binary's path (see FindTerraform); empty when none
	// was found, which only a local backend can do without.
	Terraform string
	// Plan runs a plan instead of reading the current state.
	Plan bool
	// Pull reads a local backend's state through `state pull` even when
	// its file can be read directly (see directLocal); the tests and
	// benchmarks use it to compare the two ways.
	Pull bool
	// VarFiles and Vars are passed to the plan as -var-file and -var.
	// Relative var files are relative to Dir, as for Terraform.
	VarFiles []string
	Vars     map[string]string
	// Timeout bounds the whole read (DefaultTimeout when zero); a plan's
	// -lock-timeout is half of it, so Terraform reports a held lock itself.
	Timeout time.Duration
	// KillDelay is how long an interrupted Terraform has to exit before it
	// is killed (DefaultKillDelay when zero).
	KillDelay time.Duration
	// MaxBytes bounds what is read, from a file or from Terraform's
	// output (readfile.InputLimit when zero).
	MaxBytes int64
	// Progress, when set, is told when the read starts and ends.
	Progress func(Stage)
}

// Stage is a step of a read, for progress display.
type Stage string

// Stages.
const (
	Reading  Stage = "reading"
	Planning Stage = "planning"
	Done     Stage = "done"
	Failed   Stage = "failed"
)

// Result is one environment read: the bytes the parser decodes (raw state
// or plan JSON), or the file that holds them, the name its errors give,
// and how it was read.
type Result struct {
	Env  string
	Name string
	// Data is what was read, unless Path is set.
	Data []byte
	// Path is the state file to decode in place of Data: a large local
	// state read directly is streamed from its file by the parser rather
	// than held in memory whole (see localState).
	Path       string
	Provenance Provenance
}

// Read reads one environment. Every error names the environment and is one
// of this package's error types.
func Read(ctx context.Context, s Spec) (*Result, error) {
	s.setDefaults()
	progress(s, Reading)
	res, err := read(ctx, s)
	if err != nil {
		progress(s, Failed)
		return nil, err
	}
	progress(s, Done)
	return res, nil
}

func progress(s Spec, st Stage) {
	if s.Progress != nil {
		s.Progress(st)
	}
}

func (s *Spec) setDefaults() {
	if s.Timeout <= 0 {
		s.Timeout = DefaultTimeout
	}
	if s.KillDelay <= 0 {
		s.KillDelay = DefaultKillDelay
	}
	if s.MaxBytes <= 0 {
		s.MaxBytes = readfile.InputLimit
	}
}

func read(ctx context.Context, s Spec) (*Result, error) {
	if err := checkDir(s); err != nil {
		return nil, err
	}
	be, err := detectBackend(s.Dir, os.Getenv)
	if err != nil {
		return nil, &DirError{Env: s.Env, Dir: s.Dir, Problem: "cannot tell its backend: " + err.Error(), Hint: "fix the file, or run `terraform init` again"}
	}
	if s.Terraform == "" {
		switch {
		case s.Plan:
			return nil, &NotFoundError{Env: s.Env, Dir: s.Dir, Reason: "plan mode runs `terraform plan`"}
		case be.Type != "local":
			return nil, &NotFoundError{Env: s.Env, Dir: s.Dir, Reason: fmt.Sprintf("its %q backend can only be read through Terraform", be.Type)}
		}
		return readLocal(s, be)
	}
	if !be.Initialised {
		return nil, &NotInitializedError{Env: s.Env, Dir: s.Dir}
	}
	if be.Type == "local" && !s.Plan && !s.Pull {
		if res, err := directLocal(s, be); res != nil || err != nil {
			return res, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	// os.MkdirTemp creates the directory 0700: the plan file and the data
	// directory are nobody else's to read.
	tmp, err := os.MkdirTemp("", "lockstep-workdir-")
	if err != nil {
		return nil, fmt.Errorf("environment %q: %w", s.Env, err)
	}
	defer os.RemoveAll(tmp)
	r, err := newRunner(&s, be, tmp)
	if err != nil {
		return nil, &DirError{Env: s.Env, Dir: s.Dir, Problem: err.Error(), Hint: "check the directory and the Terraform binary " + s.Terraform}
	}
	if s.Plan {
		return readPlan(ctx, r, s, be, tmp)
	}
	return readState(ctx, r, s, be)
}

// checkDir accepts a directory holding .tf or .tf.json files or a
// .terraform directory, as the CLI decides what is a directory input.
func checkDir(s Spec) error {
	fi, err := os.Stat(s.Dir)
	if err != nil || !fi.IsDir() {
		return &DirError{Env: s.Env, Dir: s.Dir, Problem: "not a directory", Hint: "give a Terraform root module's directory"}
	}
	if IsRootModule(s.Dir) {
		return nil
	}
	return &DirError{Env: s.Env, Dir: s.Dir, Problem: "holds no .tf file and no .terraform directory", Hint: "give the directory where you run `terraform plan`"}
}

// IsRootModule says whether dir looks like a Terraform working directory:
// it holds a .tf or .tf.json file, or a .terraform directory.
func IsRootModule(dir string) bool {
	if fi, err := os.Stat(filepath.Join(dir, ".terraform")); err == nil && fi.IsDir() {
		return true
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			return true
		}
	}
	return false
}

// workspace is the workspace to try first, and whether the user named it.
func (s Spec) workspace() (string, bool) {
	if s.Workspace != "" {
		return s.Workspace, true
	}
	return s.Env, false
}

// choose settles the workspace against the list that exists: the named
// one, else "default" when it is the only one and none was named.
func choose(s Spec, want string, explicit bool, existing []string) (string, error) {
	for _, w := range existing {
		if w == want {
			return want, nil
		}
	}
	if !explicit && len(existing) == 1 && existing[0] == defaultWorkspace {
		return defaultWorkspace, nil
	}
	return "", &WorkspaceMissingError{Env: s.Env, Dir: s.Dir, Workspace: want, Existing: existing}
}
