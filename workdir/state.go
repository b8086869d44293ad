package workdir

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"

	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// readState reads the current state through `terraform state pull`.
//
// The workspace is settled first, against the list of those that exist:
// `state pull` of a workspace that does not exist succeeds, prints
// nothing, and creates the workspace (a directory under
// terraform.tfstate.d, a row in pg, an object in s3), which a read must
// never do. The local backend's list comes from its directory, as
// Terraform's own does, without running a command.
func readState(ctx context.Context, r *runner, s Spec, be *backend) (*Result, error) {
	tool := toolName(s.Terraform)
	version, ws, err := r.prepare(ctx, &s, be)
	if err != nil {
		return nil, err
	}
	data, err := r.pull(ctx, &s, be, ws)
	if err != nil {
		return nil, err
	}
	// state pull ends the file with a newline of its own; without it the
	// bytes, and so the input's digest in the report, are the state file's.
	data = bytes.TrimSuffix(data, []byte("\n"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &StateEmptyError{Env: s.Env, Dir: s.Dir, Workspace: ws}
	}
	p := Provenance{Kind: kindOf(ws), Dir: s.Dir, Workspace: ws, Backend: be.Type, Via: tool + " state pull", Terraform: version, Tool: toolOf(s.Terraform)}
	stateIdentity(&p, data)
	return &Result{Env: s.Env, Name: DisplayName(s.Env, p), Data: data, Provenance: p}, nil
}

// prepare asks Terraform its version and settles the workspace, the first
// steps of every read through Terraform.
func (r *runner) prepare(ctx context.Context, s *Spec, be *backend) (version, workspace string, err error) {
	if version, err = r.terraformVersion(ctx, s, be); err != nil {
		return "", "", err
	}
	workspace, err = r.chooseWorkspace(ctx, s, be)
	return version, workspace, err
}

func (r *runner) chooseWorkspace(ctx context.Context, s *Spec, be *backend) (string, error) {
	want, explicit := s.workspace()
	var list []string
	if be.Type == "local" {
		list = be.localWorkspaces(s.Dir)
	} else {
		var err error
		if list, err = r.workspaces(ctx, s, be); err != nil {
			return "", err
		}
	}
	return choose(*s, want, explicit, list)
}

func (r *runner) pull(ctx context.Context, s *Spec, be *backend, ws string) ([]byte, error) {
	if err := r.use(ws); err != nil {
		return nil, err
	}
	command := toolName(s.Terraform) + " state pull"
	data, f := r.run(ctx, command, s.MaxBytes, true, func(ctx context.Context) error {
		_, err := r.tf.StatePull(ctx)
		return err
	})
	if f != nil {
		return nil, r.classify(f, s, be)
	}
	return data, nil
}

func (r *runner) workspaces(ctx context.Context, s *Spec, be *backend) ([]string, error) {
	var list []string
	_, f := r.run(ctx, toolName(s.Terraform)+" workspace list", 1<<20, false, func(ctx context.Context) error {
		var err error
		list, _, err = r.tf.WorkspaceList(ctx)
		return err
	})
	if f != nil {
		return nil, r.classify(f, s, be)
	}
	return list, nil
}

// readLocal reads a local backend's state file directly, as Terraform
// would find it, when no Terraform binary is there to ask.
func readLocal(s Spec, be *backend) (*Result, error) {
	ws, path, data, whole, err := localState(s, be)
	if err != nil {
		return nil, err
	}
	if encrypted(data) {
		return nil, &NotFoundError{Env: s.Env, Dir: s.Dir, Reason: "its state file " + path + " is encrypted by OpenTofu, which only `tofu state pull` decrypts (with the key the directory's encryption configures)"}
	}
	return localResult(s, be, ws, path, data, whole), nil
}

// directLocal reads a local backend's state file with Terraform present,
// instead of `terraform state pull`, which reads that same file and prints
// it again: for a 28 MB state, 3 s of Terraform decoding and re-encoding
// it, several times what lockstep then takes to read it (about 0.5 s; see
// BenchmarkLocalWorkspaces). It returns nil and
// no error when Terraform must do the read after all:
//   - the .tf files declare another backend, or other settings, than
//     `terraform init` recorded, which Terraform refuses until the
//     directory is initialised again (the old file would be stale);
//   - the file is encrypted by OpenTofu (only `tofu` has the key);
//   - its format is older than version 4 (Terraform upgrades it).
//
// Every other outcome, errors included, is the one `state pull` would
// have had: the same workspace choice, the same missing or empty state.
func directLocal(s Spec, be *backend) (*Result, error) {
	if !be.matchesDeclared(s.Dir) {
		return nil, nil
	}
	ws, path, data, whole, err := localState(s, be)
	if err != nil {
		return nil, err
	}
	if encrypted(data) || !currentFormat(data) {
		return nil, nil
	}
	res := localResult(s, be, ws, path, data, whole)
	// The tool is the binary that would have pulled the file, as it was
	// when it did (the state's own terraform_version does not tell tofu
	// from terraform).
	res.Provenance.Tool = toolOf(s.Terraform)
	return res, nil
}

// headSize is how much of a state file localState reads to settle a
// direct read, when the file is larger: Terraform and OpenTofu write the
// members a read needs (version, serial, lineage, and whether the file is
// encrypted) before the outputs and resources.
const headSize = 64 << 10

// localState settles the workspace against the local backend's list and
// reads its state file, within the size limit. A file larger than
// headSize whose first headSize bytes hold every top-level member before
// "resources" is left in place (whole is false): data is its head, which
// settles what the readers here look at, and the parser streams the
// file. Any other file is read whole.
func localState(s Spec, be *backend) (ws, path string, data []byte, whole bool, err error) {
	want, explicit := s.workspace()
	if ws, err = choose(s, want, explicit, be.localWorkspaces(s.Dir)); err != nil {
		return "", "", nil, false, err
	}
	path = be.statePath(s.Dir, ws)
	data, whole, err = readHead(path, s.MaxBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", "", nil, false, &StateEmptyError{Env: s.Env, Dir: s.Dir, Workspace: ws}
	case errors.Is(err, readfile.ErrTooLarge):
		return "", "", nil, false, &TooLargeError{Env: s.Env, Dir: s.Dir, Command: "read " + path, Limit: s.MaxBytes}
	case err != nil:
		return "", "", nil, false, &DirError{Env: s.Env, Dir: s.Dir, Problem: err.Error(), Hint: "check the local backend's state file"}
	}
	if whole && len(bytes.TrimSpace(data)) == 0 {
		return "", "", nil, false, &StateEmptyError{Env: s.Env, Dir: s.Dir, Workspace: ws}
	}
	return ws, path, data, whole, nil
}

// readHead reads the file at path whole, or only its head when the file
// is larger than headSize and the head settles a direct read
// (headSettles).
func readHead(path string, limit int64) (data []byte, whole bool, err error) {
	f, size, err := readfile.Open(path, limit)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if size > headSize {
		head := make([]byte, headSize)
		if _, err := io.ReadFull(f, head); err == nil && headSettles(head) {
			return head, false, nil
		}
	}
	data, err = readfile.Read(path, limit)
	return data, true, err
}

func localResult(s Spec, be *backend, ws, path string, data []byte, whole bool) *Result {
	p := Provenance{Kind: kindOf(ws), Dir: s.Dir, Workspace: ws, Backend: be.Type, Via: "state file", StateFile: path}
	stateIdentity(&p, data)
	res := &Result{Env: s.Env, Name: DisplayName(s.Env, p), Data: data, Provenance: p}
	if !whole {
		res.Data, res.Path = nil, path
	}
	return res
}
